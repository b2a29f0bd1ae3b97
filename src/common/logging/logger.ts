import { Inject } from '@nestjs/common';
import pino, { DestinationStream, Logger as PinoLogger } from 'pino';
import { LogLevel } from '../../config/configuration';
import { redactSecrets } from './redact';

export type Logger = PinoLogger;

/** DI token for the application's pino logger. */
export const LOGGER = Symbol('LOGGER');
export const InjectLogger = (): ParameterDecorator => Inject(LOGGER);

/**
 * JSON logs, one object a line. Every object passes through `redactSecrets`, so a field named
 * like a secret (authorization, x-signature, secret_key, token, password…) is never written.
 */
export function createLogger(level: LogLevel, destination?: DestinationStream): Logger {
  return pino(
    {
      name: 'tessera',
      level,
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: {
        level: (label) => ({ level: label }),
        log: (object) => redactSecrets(object),
      },
    },
    destination ?? pino.destination({ dest: 1, sync: false, minLength: 0 }),
  );
}
