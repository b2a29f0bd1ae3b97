/**
 * `npm run openapi` (or `node dist/src/common/swagger/openapi.cli.js [--out <file>]`)
 * Writes the OpenAPI document of the code as built: `openapi.json` at the repository root by
 * default. It boots the real application, so the document is the one `/docs-json` serves, but
 * on a throw-away embedded database in a temporary DATA_DIR, with its own throw-away secrets
 * and nothing read from the environment: no database server, no network, and the same bytes on
 * every run and every machine.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { createApp } from '../../app.factory';
import { loadConfiguration } from '../../config/configuration';
import { createOpenApiDocument, serializeOpenApiDocument } from './swagger.setup';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { out: { type: 'string', default: 'openapi.json' } } });
  const out = resolve(values.out!);
  const dataDir = mkdtempSync(join(tmpdir(), 'tessera-openapi-'));
  try {
    const config = loadConfiguration({
      NODE_ENV: 'development',
      DATA_DIR: dataDir,
      DOCS_ENABLED: 'true',
      LOG_LEVEL: 'warn',
      PUBLIC_URL: 'http://localhost:3000',
      JWT_SECRET: randomBytes(48).toString('base64url'),
      ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    });
    // stdout stays clean; warnings (if any) go to stderr.
    const app = await createApp(config, { logDestination: pino.destination({ dest: 2, sync: true }) });
    try {
      writeFileSync(out, serializeOpenApiDocument(createOpenApiDocument(app)));
    } finally {
      // Closed before exiting: the embedded database must shut down cleanly.
      await app.close();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
  process.stderr.write(`wrote ${out}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`openapi: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
