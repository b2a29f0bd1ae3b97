import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TcpProxy } from '../support/tcp-proxy';
import { runDatabaseUrl } from '../support/test-database';
import { TEST_SECRETS } from '../support/test-app';
import { spawnServer, waitForListening } from '../support/server-process';

const tempDir = (): string => mkdtempSync(join(tmpdir(), 'tessera-process-'));

describe('production start refusal', () => {
  const base = { NODE_ENV: 'production', PORT: '0', DATA_DIR: tempDir(), DATABASE_URL: runDatabaseUrl() };

  it.each([
    ['JWT_SECRET is missing', { ENCRYPTION_KEY: TEST_SECRETS.ENCRYPTION_KEY }, /JWT_SECRET is required/],
    ['JWT_SECRET is short', { ...TEST_SECRETS, JWT_SECRET: 'short-secret' }, /JWT_SECRET must be at least 32 bytes/],
    ['JWT_SECRET is a known default', { ...TEST_SECRETS, JWT_SECRET: 'change-me-to-a-random-string-of-at-least-32-bytes' }, /JWT_SECRET is a well-known/],
    ['JWT_SECRET has no variety', { ...TEST_SECRETS, JWT_SECRET: 'a'.repeat(40) }, /JWT_SECRET is a well-known or low-entropy/],
    ['ENCRYPTION_KEY is missing', { JWT_SECRET: TEST_SECRETS.JWT_SECRET }, /ENCRYPTION_KEY is required/],
    ['ENCRYPTION_KEY is the compose placeholder', { ...TEST_SECRETS, ENCRYPTION_KEY: 'Y2hhbmdlLW1lLWNoYW5nZS1tZS1jaGFuZ2UtbWUtMzI=' }, /ENCRYPTION_KEY is a well-known/],
  ])('should exit non-zero with one clear line when %s', async (_case, env, message) => {
    const server = spawnServer({ ...base, ...env });
    const code = await server.exited;
    expect(code).toBe(1);
    const lines = server.stderr().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^tessera: Invalid configuration: /);
    expect(lines[0]).toMatch(message);
    expect(server.stderr()).not.toContain(runDatabaseUrl());
  });

  it('should start in production with strong secrets', async () => {
    const server = spawnServer({ ...base, ...TEST_SECRETS });
    const url = await waitForListening(server);
    expect(await getStatus(`${url}/health/ready`)).toBe(200);
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
  });
});

describe('development secrets', () => {
  it('should generate JWT_SECRET and ENCRYPTION_KEY once into DATA_DIR, say so, and reuse them', async () => {
    const dataDir = tempDir();
    const env = { PORT: '0', DATA_DIR: dataDir, DATABASE_URL: runDatabaseUrl() };
    const first = spawnServer(env);
    await waitForListening(first);
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    expect(first.stdout()).toContain('generated development JWT_SECRET and ENCRYPTION_KEY');
    const file = join(dataDir, 'secrets.json');
    const secrets = JSON.parse(readFileSync(file, 'utf8'));
    expect(Buffer.from(secrets.encryptionKey, 'base64')).toHaveLength(32);
    expect(secrets.jwtSecret.length).toBeGreaterThanOrEqual(32);
    expect(statSync(file).mode & 0o077).toBe(0);
    // The values themselves never reach the log.
    expect(first.stdout()).not.toContain(secrets.jwtSecret);
    expect(first.stdout()).not.toContain(secrets.encryptionKey);

    const second = spawnServer(env);
    await waitForListening(second);
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
    expect(second.stdout()).toContain('using development JWT_SECRET and ENCRYPTION_KEY');
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(secrets);
  });
});

describe('graceful shutdown', () => {
  let proxy: TcpProxy;

  beforeAll(async () => {
    proxy = await TcpProxy.start(runDatabaseUrl());
  });
  afterAll(() => proxy.stop());

  it('should finish in-flight requests on SIGTERM, refuse new connections, and exit 0', async () => {
    const server = spawnServer({ PORT: '0', DATA_DIR: tempDir(), DATABASE_URL: proxy.urlFor(runDatabaseUrl()), DATABASE_POOL_SIZE: '40', ...TEST_SECRETS });
    const url = await waitForListening(server);

    // Slow the database down so that 30 readiness checks are still running when SIGTERM arrives.
    proxy.delayMs = 800;
    const inFlight = Promise.all(Array.from({ length: 30 }, () => getStatus(`${url}/health/ready`)));
    await new Promise((resolve) => setTimeout(resolve, 200));
    server.child.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 200));
    const late = await getStatus(`${url}/health/live`).catch((error: NodeJS.ErrnoException) => error.code);

    expect(await inFlight).toEqual(Array.from({ length: 30 }, () => 200));
    expect(late).toBe('ECONNREFUSED');
    expect(await server.exited).toBe(0);
    expect(server.stdout()).toContain('shutdown complete');
    proxy.delayMs = 0;
  });
});

function getStatus(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}
