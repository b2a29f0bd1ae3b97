/**
 * `npm run keys:rotate`
 * Makes a new token signing key active at once and prints its kid. The previous key stays
 * published and trusted for 24 h 5 min, so tokens it signed keep working; running instances
 * start signing with the new key within a minute and verify its tokens at once.
 * With the embedded database (no DATABASE_URL), stop the server first: one process at a time.
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { SecretBox } from '../../common/crypto/secret-box';
import { createLogger } from '../../common/logging/logger';
import { ConfigError } from '../../config/config.error';
import { loadConfiguration } from '../../config/configuration';
import { buildDataSourceOptions, openDataSource } from '../../database/data-source';
import { isUniqueViolation } from '../../database/database-errors';
import { rotateSigningKey } from '../key-rotation';

const STOP_SERVER_FIRST = 'With the embedded database (no DATABASE_URL), stop the Tessera server first, then run npm run keys:rotate again.';

async function main(): Promise<void> {
  if (existsEnvFile()) process.loadEnvFile('.env');
  const config = loadConfiguration(process.env);
  const embedded = !config.database.url;
  // PGlite does not lock its directory: opening it beside a running server would corrupt it.
  // PGlite removes this file on a clean close.
  if (embedded && existsSync(join(config.database.dataDir, 'pgdata', 'postmaster.pid'))) {
    fail(
      `The embedded database in ${config.database.dataDir} is in use (or was not shut down cleanly). ${STOP_SERVER_FIRST} ` +
        '(If no server is running, start and stop it once.)',
    );
  }

  let dataSource;
  try {
    // Database messages (e.g. migrations applied) go to stderr: stdout carries only the kid.
    const logger = createLogger('warn', pino.destination({ dest: 2, sync: true }));
    dataSource = await openDataSource(buildDataSourceOptions(config.database, logger));
  } catch (error) {
    fail(`Cannot open the database: ${describe(error)}${embedded ? `\n${STOP_SERVER_FIRST}` : ''}`);
  }
  let outcome: { kid: string } | { error: string };
  try {
    outcome = { kid: await rotateSigningKey(dataSource, new SecretBox(config.encryptionKey)) };
  } catch (error) {
    outcome = {
      error: isUniqueViolation(error)
        ? 'Another rotation happened at the same moment; nothing changed here. Run it again if you need another key.'
        : describe(error),
    };
  }
  // Closed before exiting: the embedded database must shut down cleanly.
  await dataSource.destroy();
  if ('error' in outcome) fail(outcome.error);
  process.stdout.write(`${outcome.kid}\n`);
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function existsEnvFile(): boolean {
  try {
    return statSync('.env').isFile();
  } catch {
    return false;
  }
}

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

main().catch((error: unknown) => fail(error instanceof ConfigError ? error.message : describe(error)));
