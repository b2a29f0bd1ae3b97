import { Logger as TypeOrmLoggerInterface } from 'typeorm';
import { Logger } from '../common/logging/logger';

/**
 * Routes TypeORM's messages to pino without ever logging query parameters (they can carry
 * secrets or personal data): failed and slow queries are logged by SQL text and error code only.
 */
export class TypeOrmPinoLogger implements TypeOrmLoggerInterface {
  constructor(private readonly logger: Logger) {}

  logQuery(query: string): void {
    this.logger.trace({ query }, 'query');
  }

  logQueryError(error: string | Error, query: string): void {
    const code = typeof error === 'object' && error && 'code' in error ? String((error as { code: unknown }).code) : undefined;
    this.logger.debug({ query: query.slice(0, 500), code }, 'query failed');
  }

  logQuerySlow(time: number, query: string): void {
    this.logger.warn({ query: query.slice(0, 500), durationMs: time }, 'slow query');
  }

  logSchemaBuild(message: string): void {
    this.logger.debug(message);
  }

  logMigration(message: string): void {
    this.logger.info({ context: 'migrations' }, message);
  }

  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    this.logger[level === 'warn' ? 'warn' : 'debug']({ context: 'typeorm' }, String(message));
  }
}
