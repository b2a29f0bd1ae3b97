import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { appLogger, createApp } from './app.factory';
import { Logger } from './common/logging/logger';
import { ConfigError } from './config/config.error';
import { AppConfig, loadConfiguration } from './config/configuration';

async function main(): Promise<void> {
  if (existsSync('.env')) process.loadEnvFile('.env');

  let config: AppConfig;
  try {
    config = loadConfiguration(process.env);
  } catch (error) {
    // One clear line and a non-zero exit: the operator fixes the environment and retries.
    process.stderr.write(`tessera: ${error instanceof ConfigError ? error.message : String(error)}\n`);
    process.exit(1);
  }

  let app: NestFastifyApplication;
  try {
    app = await createApp(config);
  } catch (error) {
    process.stderr.write(`tessera: cannot start: ${describeStartError(error)}\n`);
    process.exit(1);
  }
  const logger = appLogger(app);
  for (const notice of config.notices) logger.warn(notice);
  installProcessHandlers(app, logger, config.http.shutdownGraceMs);

  await app.listen({ port: config.http.port, host: config.http.host });
  logger.info({ url: await app.getUrl(), publicUrl: config.http.publicUrl, env: config.env }, 'tessera listening');
}

function installProcessHandlers(app: NestFastifyApplication, logger: Logger, graceMs: number): void {
  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal, graceMs }, 'shutting down: no new connections, finishing in-flight requests');
    const force = setTimeout(() => {
      logger.error({ graceMs }, 'grace period over; exiting with requests still open');
      logger.flush();
      process.exit(1);
    }, graceMs);
    force.unref();
    app
      .close()
      .then(() => {
        logger.info('shutdown complete');
        logger.flush();
        process.exit(0);
      })
      .catch((error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        logger.flush();
        process.exit(1);
      });
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  process.on('unhandledRejection', (reason) => logger.error({ err: reason }, 'unhandled promise rejection'));
  process.on('uncaughtException', (error) => {
    logger.fatal({ err: error }, 'uncaught exception');
    logger.flush();
    process.exit(1);
  });
}

/** A start failure in one line, without connection strings or stack traces. */
function describeStartError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as { code?: unknown }).code;
  const message = error.message.replace(/postgres(ql)?:\/\/[^\s]+/gi, '[DATABASE_URL]');
  return code ? `${message} (${String(code)})` : message;
}

void main();
