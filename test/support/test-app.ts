import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { getDataSourceToken } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { createApp, CreateAppOptions } from '../../src/app.factory';
import { loadConfiguration } from '../../src/config/configuration';
import { Env } from '../../src/config/env-parsers';
import { LogCapture } from './log-capture';
import { runDatabaseUrl } from './test-database';

/** Fixed secrets for tests: long and random-looking, so production rules accept them. */
export const TEST_SECRETS = {
  JWT_SECRET: 'tst-Jq8vX2mN5pR7sT9wY3zA6cE1gH4kL0oQ-jwt',
  ENCRYPTION_KEY: Buffer.from('0123456789abcdefghijklmnopqrstuv').toString('base64'),
} as const;

export interface TestApp {
  app: NestFastifyApplication;
  /** Base URL of the listening server, e.g. http://127.0.0.1:41234 */
  url: string;
  logs: LogCapture;
  dataSource: DataSource;
  close(): Promise<void>;
}

/**
 * Boots the real application (AppModule, global enhancers, Fastify) on a real port against the
 * run's PostgreSQL database. `env` overrides the environment; `DATABASE_URL: undefined` selects
 * the embedded database.
 */
export async function startTestApp(env: Env = {}, options: Pick<CreateAppOptions, 'imports'> & { port?: number } = {}): Promise<TestApp> {
  const config = loadConfiguration({
    NODE_ENV: 'test',
    LOG_LEVEL: 'info',
    DATA_DIR: mkdtempSync(join(tmpdir(), 'tessera-test-')),
    DATABASE_URL: 'DATABASE_URL' in env ? env.DATABASE_URL : runDatabaseUrl(),
    ...TEST_SECRETS,
    ...env,
  });
  const logs = new LogCapture();
  const app = await createApp(config, { logDestination: logs, imports: options.imports });
  await app.listen({ port: options.port ?? 0, host: '127.0.0.1' });
  const url = await app.getUrl();
  const dataSource = app.get<DataSource>(getDataSourceToken());
  return { app, url, logs, dataSource, close: () => app.close() };
}

/** Empties every table but the migrations record. */
export async function resetDatabase(dataSource: DataSource): Promise<void> {
  const rows: Array<{ tablename: string }> = await dataSource.query(
    `SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'migrations'`,
  );
  if (rows.length === 0) return;
  await dataSource.query(`TRUNCATE ${rows.map((r) => `"${r.tablename}"`).join(', ')} RESTART IDENTITY CASCADE`);
}

/** A TCP port that is free right now (for servers whose PUBLIC_URL must be known before they start). */
export async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
