import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/** The PostgreSQL server the e2e tests use; each run creates its own database on it. */
export const TEST_SERVER_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** Set by the global setup for the test files of one run. */
export const RUN_DATABASE_ENV = 'TESSERA_RUN_DATABASE_URL';

export function runDatabaseUrl(): string {
  const url = process.env[RUN_DATABASE_ENV];
  if (!url) throw new Error(`${RUN_DATABASE_ENV} is not set: run the e2e tests through jest's global setup`);
  return url;
}

export async function createDatabase(prefix = 'tessera_test'): Promise<string> {
  const name = `${prefix}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  await withServer((client) => client.query(`CREATE DATABASE "${name}"`));
  const url = new URL(TEST_SERVER_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function dropDatabase(databaseUrl: string): Promise<void> {
  const name = decodeURIComponent(new URL(databaseUrl).pathname.slice(1));
  if (!/^tessera_[a-z0-9_]+$/.test(name)) throw new Error(`refusing to drop ${name}`);
  await withServer((client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
}

async function withServer<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: TEST_SERVER_URL, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
