import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { DatabaseConfig } from '../../src/config/configuration';
import { buildDataSourceOptions, openDataSource } from '../../src/database/data-source';
import { isUniqueViolation } from '../../src/database/database-errors';
import { runDatabaseUrl } from '../support/test-database';

/**
 * What Tessera relies on must behave the same on PostgreSQL and on the embedded PGlite:
 * uuid defaults, jsonb, unique constraints, transactions, row locks, advisory locks.
 */
const engines: Array<[string, () => DatabaseConfig]> = [
  ['PostgreSQL', () => ({ url: runDatabaseUrl(), dataDir: '', poolSize: 10, connectTimeoutMs: 5_000, statementTimeoutMs: 30_000 })],
  ['PGlite', () => ({ dataDir: mkdtempSync(join(tmpdir(), 'tessera-parity-')), poolSize: 1, connectTimeoutMs: 5_000, statementTimeoutMs: 30_000 })],
];

describe.each(engines)('database parity on %s', (_name, config) => {
  let ds: DataSource;

  beforeAll(async () => {
    ds = await openDataSource(buildDataSourceOptions(config()));
    await ds.query(`DROP TABLE IF EXISTS parity_probe`);
    await ds.query(`CREATE TABLE parity_probe (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      name text NOT NULL UNIQUE,
      counter int NOT NULL DEFAULT 0,
      doc jsonb NOT NULL DEFAULT '{}'
    )`);
  });
  afterAll(async () => {
    await ds.query(`DROP TABLE IF EXISTS parity_probe`);
    await ds.destroy();
  });

  it('should generate uuid defaults', async () => {
    const [row] = await ds.query(`INSERT INTO parity_probe (name) VALUES ('uuid') RETURNING id`);
    expect(row.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('should store and query jsonb', async () => {
    const doc = { rcls: [{ column: 'region', operator: 'in', values: ['eu', 'us'] }], n: 1.5, ok: true };
    await ds.query(`INSERT INTO parity_probe (name, doc) VALUES ('json', $1)`, [JSON.stringify(doc)]);
    const [row] = await ds.query(`SELECT doc, doc->'rcls'->0->>'column' AS col FROM parity_probe WHERE doc @> '{"ok": true}'`);
    expect(row.doc).toEqual(doc);
    expect(row.col).toBe('region');
  });

  it('should raise a recognisable unique violation', async () => {
    await ds.query(`INSERT INTO parity_probe (name) VALUES ('dup')`);
    const error = await ds.query(`INSERT INTO parity_probe (name) VALUES ('dup')`).catch((e: unknown) => e);
    expect(isUniqueViolation(error)).toBe(true);
  });

  it('should roll back a failed transaction completely', async () => {
    await expect(
      ds.transaction(async (manager) => {
        await manager.query(`INSERT INTO parity_probe (name) VALUES ('rolled-back')`);
        await manager.query(`INSERT INTO parity_probe (name) VALUES ('rolled-back')`);
      }),
    ).rejects.toBeDefined();
    const rows = await ds.query(`SELECT 1 FROM parity_probe WHERE name = 'rolled-back'`);
    expect(rows).toHaveLength(0);
  });

  it('should serialize concurrent increments under SELECT … FOR UPDATE', async () => {
    await ds.query(`INSERT INTO parity_probe (name) VALUES ('counter')`);
    await Promise.all(
      Array.from({ length: 25 }, () =>
        ds.transaction(async (manager) => {
          const [row] = await manager.query(`SELECT counter FROM parity_probe WHERE name = 'counter' FOR UPDATE`);
          await new Promise((resolve) => setImmediate(resolve));
          await manager.query(`UPDATE parity_probe SET counter = $1 WHERE name = 'counter'`, [row.counter + 1]);
        }),
      ),
    );
    const [row] = await ds.query(`SELECT counter FROM parity_probe WHERE name = 'counter'`);
    expect(row.counter).toBe(25);
  });

  it('should support transaction-scoped advisory locks', async () => {
    const [row] = await ds.transaction((manager) => manager.query(`SELECT pg_try_advisory_xact_lock(42) AS locked`));
    expect(row.locked).toBe(true);
  });

  it('should answer ON CONFLICT DO NOTHING without an error', async () => {
    await ds.query(`INSERT INTO parity_probe (name) VALUES ('once') ON CONFLICT (name) DO NOTHING`);
    const result = await ds.query(`INSERT INTO parity_probe (name) VALUES ('once') ON CONFLICT (name) DO NOTHING RETURNING id`);
    expect(result).toHaveLength(0);
  });
});
