import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { decodeJwt } from 'jose';
import request from 'supertest';
import { resetDatabase, startTestApp, TEST_SECRETS, TestApp } from '../support/test-app';

const run = promisify(execFile);
const CLI = join(__dirname, '..', '..', 'dist', 'src', 'auth', 'cli', 'token.cli.js');

async function token(args: string[], env: Record<string, string>): Promise<string> {
  const { stdout } = await run(process.execPath, [CLI, ...args], { env: { PATH: process.env.PATH, ...env } });
  return stdout.trim();
}

describe('npm run token', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  beforeEach(() => resetDatabase(t.dataSource));
  afterAll(() => t.close());

  it('should print a caller JWT that the server accepts, with the requested claims', async () => {
    const env = { ...TEST_SECRETS, DATA_DIR: mkdtempSync(join(tmpdir(), 'tessera-cli-')) };
    const admin = await token(['--org', 'acme', '--role', 'admin'], env);
    await request(t.url).post('/api/v1/tenants').set('Authorization', `Bearer ${admin}`).send({ id: 'a', name: 'A' }).expect(201);
    await request(t.url).post('/api/v1/tenants').set('Authorization', `Bearer ${admin}`).send({ id: 'b', name: 'B' }).expect(201);

    const member = await token(['--org', 'acme', '--role', 'member', '--tenants', 'a', '--sub', 'u-42', '--ttl', '120'], env);
    const claims = decodeJwt(member);
    expect(claims).toMatchObject({ org: 'acme', role: 'member', tenants: ['a'], sub: 'u-42' });
    expect(claims.exp! - claims.iat!).toBe(120);
    const list = await request(t.url).get('/api/v1/tenants').set('Authorization', `Bearer ${member}`).expect(200);
    expect(list.body.data.map((x: { id: string }) => x.id)).toEqual(['a']);
  });

  it('should sign with the development secret in DATA_DIR when JWT_SECRET is not set', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'tessera-cli-'));
    const devToken = await token(['--org', 'acme'], { DATA_DIR: dataDir });
    const dev = await startTestApp({ DATA_DIR: dataDir, JWT_SECRET: undefined });
    try {
      await request(dev.url).get('/api/v1/tenants').set('Authorization', `Bearer ${devToken}`).expect(200);
      // The test server's own secret does not accept it.
      await request(t.url).get('/api/v1/tenants').set('Authorization', `Bearer ${devToken}`).expect(401);
    } finally {
      await dev.close();
    }
  });

  it('should refuse bad arguments with a usage line', async () => {
    await expect(token([], TEST_SECRETS)).rejects.toMatchObject({ stderr: expect.stringContaining('usage: npm run token') });
    await expect(token(['--org', 'acme', '--role', 'owner'], TEST_SECRETS)).rejects.toMatchObject({ stderr: expect.stringContaining('--role') });
  });
});
