import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { InstallationService } from '../../src/database/installation.service';
import { ProbeModule } from '../support/probe.module';
import { startTestApp, TestApp } from '../support/test-app';

/** Smoke suite on the embedded default: no database server involved. */
describe('embedded database (PGlite in DATA_DIR)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'tessera-embedded-'));
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ DATABASE_URL: undefined, DATA_DIR: dataDir }, { imports: [ProbeModule] });
  });
  afterAll(() => t?.close());

  it('should be ready with migrations applied', async () => {
    const res = await request(t.url).get('/health/ready').expect(200);
    expect(res.body.data).toMatchObject({ status: 'ready', checks: { database: { status: 'up' } } });
    const applied = await t.dataSource.query('SELECT name FROM migrations');
    expect(applied.length).toBeGreaterThan(0);
  });

  it('should give the same envelope and error mapping as on PostgreSQL', async () => {
    const conflict = await request(t.url).get('/probe/duplicate').expect(409);
    expect(conflict.body.code).toBe('CONFLICT');
    await request(t.url).post('/probe').send({ name: 'ok', nope: 1 }).expect(422);
    await request(t.url).get('/nope').expect(404);
  });

  it('should keep data written in one run after a restart', async () => {
    const first = await t.app.get(InstallationService).get();
    await t.close();

    t = await startTestApp({ DATABASE_URL: undefined, DATA_DIR: dataDir });
    const second = await t.app.get(InstallationService).get();
    expect(second.id).toBe(first.id);
    expect(second.createdAt.toISOString()).toBe(first.createdAt.toISOString());
    const migrations = await t.dataSource.query('SELECT count(*)::int AS n FROM migrations');
    expect(migrations[0].n).toBeGreaterThan(0);
    expect(t.logs.text()).not.toContain('applied 1 migration');
  });
});
