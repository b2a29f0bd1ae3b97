import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from './config.error';
import { loadConfiguration, loadDatabaseConfiguration } from './configuration';
import { parseRateLimit } from './env-parsers';

const STRONG = {
  JWT_SECRET: 'uN3x8Qk2Lr7Vt5Yw9Zb1Cd4Fg6Hj0Mn-strong',
  ENCRYPTION_KEY: Buffer.from('k9#Lp2@Qr5$Tv8&Wx1*Yz4(Ab7)Cd0!E').toString('base64'),
};
const tempDir = (): string => mkdtempSync(join(tmpdir(), 'tessera-config-'));

function problemsOf(env: Record<string, string | undefined>): string {
  try {
    loadConfiguration(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).message;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfiguration', () => {
  it('should apply the defaults of SPEC.md §6', () => {
    const config = loadConfiguration({ ...STRONG, DATA_DIR: tempDir() });
    expect(config.http).toMatchObject({ port: 3000, host: '0.0.0.0', publicUrl: 'http://localhost:3000', bodyLimit: 102_400 });
    expect(config.database.url).toBeUndefined();
    expect(config.papermap).toEqual({ apiUrl: 'https://prod.dataapi.papermap.ai', embedUrl: 'https://papermap.ai/embedded/dashboard', timeoutMs: 10_000 });
    expect(config.docs.enabled).toBe(true);
    expect(config.log.level).toBe('info');
    expect(config.rateLimits).toEqual({
      iframeToken: { limit: 10, ttlMs: 60_000 },
      tokenGeneration: { limit: 100, ttlMs: 60_000 },
      tokenValidation: { limit: 1000, ttlMs: 60_000 },
      tokenInvalidation: { limit: 100, ttlMs: 60_000 },
      default: { limit: 600, ttlMs: 60_000 },
    });
  });

  it('should derive PUBLIC_URL from PORT and strip a trailing slash from an explicit one', () => {
    expect(loadConfiguration({ ...STRONG, DATA_DIR: tempDir(), PORT: '8080' }).http.publicUrl).toBe('http://localhost:8080');
    expect(loadConfiguration({ ...STRONG, DATA_DIR: tempDir(), PUBLIC_URL: 'https://t.example.com/' }).http.publicUrl).toBe('https://t.example.com');
  });

  it('should report every invalid variable at once, without echoing values', () => {
    const message = problemsOf({
      ...STRONG,
      DATA_DIR: tempDir(),
      PORT: 'eighty',
      DOCS_ENABLED: 'maybe',
      LOG_LEVEL: 'loud',
      DATABASE_URL: 'mysql://user:hunter2@db/x',
      RATE_LIMIT_DEFAULT: 'lots',
      CORS_ORIGINS: 'https://ok.example.com,not-an-origin/path',
    });
    expect(message).toMatch(/PORT must be an integer/);
    expect(message).toMatch(/DOCS_ENABLED must be true or false/);
    expect(message).toMatch(/LOG_LEVEL must be one of/);
    expect(message).toMatch(/DATABASE_URL must be a postgres or postgresql URL/);
    expect(message).toMatch(/RATE_LIMIT_DEFAULT must look like COUNT\/WINDOW/);
    expect(message).toMatch(/CORS_ORIGINS/);
    expect(message).not.toContain('hunter2');
    expect(message.split('\n')).toHaveLength(1);
  });

  describe('in development', () => {
    it('should generate missing secrets once into DATA_DIR and reuse them', () => {
      const dataDir = tempDir();
      const first = loadConfiguration({ DATA_DIR: dataDir });
      expect(first.notices[0]).toMatch(/^generated development JWT_SECRET and ENCRYPTION_KEY into /);
      const second = loadConfiguration({ DATA_DIR: dataDir });
      expect(second.notices[0]).toMatch(/^using development/);
      expect(second.auth.jwtSecret).toBe(first.auth.jwtSecret);
      expect(second.encryptionKey).toBe(first.encryptionKey);
      expect(Buffer.from(first.encryptionKey, 'base64')).toHaveLength(32);
      expect(first.notices.join()).not.toContain(first.auth.jwtSecret!);
    });

    it('should prefer explicit secrets and generate only what is missing', () => {
      const config = loadConfiguration({ DATA_DIR: tempDir(), JWT_SECRET: STRONG.JWT_SECRET });
      expect(config.auth.jwtSecret).toBe(STRONG.JWT_SECRET);
      expect(config.notices[0]).toMatch(/development ENCRYPTION_KEY/);
    });

    it('should refuse a corrupt secrets file rather than silently replacing it', () => {
      const dataDir = tempDir();
      loadConfiguration({ DATA_DIR: dataDir });
      require('node:fs').writeFileSync(join(dataDir, 'secrets.json'), '{not json');
      expect(problemsOf({ DATA_DIR: dataDir })).toMatch(/not a valid development secrets file/);
      expect(readFileSync(join(dataDir, 'secrets.json'), 'utf8')).toBe('{not json');
    });

    it('should still refuse a malformed ENCRYPTION_KEY', () => {
      expect(problemsOf({ ...STRONG, DATA_DIR: tempDir(), ENCRYPTION_KEY: 'dG9vLXNob3J0' })).toMatch(/ENCRYPTION_KEY must be 32 bytes/);
    });
  });

  describe('in production', () => {
    const prod = { NODE_ENV: 'production' };

    it('should start with strong secrets and never write development secrets', () => {
      const dataDir = tempDir();
      const config = loadConfiguration({ ...prod, ...STRONG, DATA_DIR: dataDir });
      expect(config.env).toBe('production');
      expect(config.notices).toEqual([]);
      expect(() => readFileSync(join(dataDir, 'secrets.json'))).toThrow();
    });

    it.each([
      ['missing JWT_SECRET', { ENCRYPTION_KEY: STRONG.ENCRYPTION_KEY }, /JWT_SECRET is required in production/],
      ['short JWT_SECRET', { ...STRONG, JWT_SECRET: 'x1y2z3' }, /at least 32 bytes/],
      ['tutorial JWT_SECRET', { ...STRONG, JWT_SECRET: 'your-256-bit-secret' }, /at least 32 bytes/],
      ['placeholder JWT_SECRET', { ...STRONG, JWT_SECRET: 'change-me-to-a-random-string-of-at-least-32-bytes' }, /well-known/],
      ['repetitive JWT_SECRET', { ...STRONG, JWT_SECRET: 'abababababababababababababababababab' }, /low-entropy/],
      ['missing ENCRYPTION_KEY', { JWT_SECRET: STRONG.JWT_SECRET }, /ENCRYPTION_KEY is required/],
      ['zero ENCRYPTION_KEY', { ...STRONG, ENCRYPTION_KEY: Buffer.alloc(32).toString('base64') }, /ENCRYPTION_KEY is a well-known/],
    ])('should refuse %s', (_case, env, expected) => {
      expect(problemsOf({ ...prod, DATA_DIR: tempDir(), ...env })).toMatch(expected);
    });

    it('should not need JWT_SECRET when caller JWTs are verified through JWKS', () => {
      const config = loadConfiguration({ ...prod, DATA_DIR: tempDir(), ENCRYPTION_KEY: STRONG.ENCRYPTION_KEY, JWT_JWKS_URI: 'https://idp.example.com/.well-known/jwks.json' });
      expect(config.auth.jwtSecret).toBeUndefined();
      expect(config.auth.jwksUri).toBe('https://idp.example.com/.well-known/jwks.json');
    });
  });
});

describe('loadDatabaseConfiguration (TypeORM CLI)', () => {
  it('should need no secrets, even in production, and write none', () => {
    const dataDir = tempDir();
    const db = loadDatabaseConfiguration({ NODE_ENV: 'production', DATA_DIR: dataDir, DATABASE_POOL_SIZE: '3' });
    expect(db).toMatchObject({ url: undefined, dataDir, poolSize: 3 });
    expect(() => readFileSync(join(dataDir, 'secrets.json'))).toThrow();
  });

  it('should refuse a non-PostgreSQL DATABASE_URL', () => {
    expect(() => loadDatabaseConfiguration({ DATABASE_URL: 'mysql://x/y' })).toThrow(ConfigError);
  });
});

describe('parseRateLimit', () => {
  it.each([
    ['10/60s', { limit: 10, ttlMs: 60_000 }],
    ['100/1m', { limit: 100, ttlMs: 60_000 }],
    ['5/2h', { limit: 5, ttlMs: 7_200_000 }],
    ['7/30', { limit: 7, ttlMs: 30_000 }],
  ])('should read %s', (value, expected) => {
    expect(parseRateLimit(value)).toEqual(expected);
  });

  it.each(['', '10', '0/60s', '10/0s', '10/60x', '-1/60s', 'ten/60s', '10/60s/1'])('should refuse %p', (value) => {
    expect(parseRateLimit(value)).toBeUndefined();
  });
});
