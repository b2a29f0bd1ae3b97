import { resolve } from 'node:path';
import { isOrigin } from '../common/validation/validators';
import { ConfigError } from './config.error';
import { loadOrCreateDevSecrets } from './dev-secrets';
import { Env, EnvReader, RateLimit } from './env-parsers';
import { hasLowVariety, isKnownDefaultSecret, MIN_JWT_SECRET_BYTES } from './weak-secrets';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface HttpConfig {
  port: number;
  host: string;
  publicUrl: string;
  /** Largest accepted request body, in bytes. */
  bodyLimit: number;
  /** A request (headers and body) must arrive within this time, or the socket is closed. */
  requestTimeoutMs: number;
  keepAliveTimeoutMs: number;
  /** How long SIGTERM waits for in-flight requests before exiting anyway. */
  shutdownGraceMs: number;
  /** Origins allowed by CORS; empty means CORS is off. `*` allows any origin (no credentials). */
  corsOrigins: string[];
  trustProxy: boolean;
}

export interface DatabaseConfig {
  /** `postgres://…`; undefined means the embedded PGlite database in `dataDir`. */
  url?: string;
  dataDir: string;
  poolSize: number;
  connectTimeoutMs: number;
  statementTimeoutMs: number;
}

export interface AuthConfig {
  /** HS256 secret for caller JWTs (undefined only in JWKS mode). */
  jwtSecret?: string;
  /** When set, caller JWTs are verified with this identity provider's keys instead (RS256/ES256). */
  jwksUri?: string;
  issuer?: string;
  audience?: string;
  /** After a JWKS fetch, unknown `kid`s do not trigger another fetch for this long. */
  jwksCooldownMs: number;
}

export interface PapermapConfig {
  apiUrl: string;
  embedUrl: string;
  /** Budget of one HTTP attempt to the provider. */
  timeoutMs: number;
}

export interface RateLimitsConfig {
  iframeToken: RateLimit;
  tokenGeneration: RateLimit;
  tokenValidation: RateLimit;
  tokenInvalidation: RateLimit;
  default: RateLimit;
}

/**
 * The validated configuration. An abstract class so that it can be the DI token:
 * `constructor(private readonly config: AppConfig)`. Built only by `loadConfiguration`.
 */
export abstract class AppConfig {
  declare readonly env: 'development' | 'production' | 'test';
  declare readonly http: HttpConfig;
  declare readonly database: DatabaseConfig;
  declare readonly auth: AuthConfig;
  /** 32 bytes, base64: the key that encrypts secrets at rest. */
  declare readonly encryptionKey: string;
  declare readonly redis: { url?: string };
  declare readonly papermap: PapermapConfig;
  declare readonly docs: { enabled: boolean };
  /** `GET /metrics` (Prometheus): off when disabled; with a token, only `Authorization: Bearer <token>` reads it. */
  declare readonly metrics: { enabled: boolean; token?: string };
  declare readonly log: { level: LogLevel };
  declare readonly rateLimits: RateLimitsConfig;
  /** Things worth one log line at start (e.g. generated development secrets); never secret values. */
  declare readonly notices: string[];
}

/**
 * Reads and validates the whole configuration from the environment (names fixed by SPEC.md §6).
 * Throws ConfigError with every problem in one line. In development a missing JWT_SECRET or
 * ENCRYPTION_KEY is generated once into DATA_DIR; with NODE_ENV=production it is refused.
 */
export function loadConfiguration(env: Env = process.env): AppConfig {
  const read = new EnvReader(env);
  const nodeEnv = read.raw('NODE_ENV');
  const appEnv: AppConfig['env'] =
    nodeEnv === 'production' ? 'production' : nodeEnv === 'test' ? 'test' : 'development';
  const production = appEnv === 'production';

  const port = read.int('PORT', 3000, 0, 65535);
  const host = read.string('HOST', '0.0.0.0');
  const publicUrl = (read.url('PUBLIC_URL', ['http:', 'https:']) ?? `http://localhost:${port}`).replace(/\/+$/, '');
  const dataDir = resolve(read.string('DATA_DIR', './.tessera'));

  const auth: AuthConfig = {
    jwtSecret: read.raw('JWT_SECRET'),
    jwksUri: read.url('JWT_JWKS_URI', ['https:', 'http:']),
    issuer: read.raw('JWT_ISSUER'),
    audience: read.raw('JWT_AUDIENCE'),
    jwksCooldownMs: read.int('JWT_JWKS_COOLDOWN_MS', 30_000, 0, 3_600_000),
  };
  let encryptionKey = read.raw('ENCRYPTION_KEY');
  const notices: string[] = [];

  if (production) {
    if (!auth.jwksUri) checkJwtSecret(read, auth.jwtSecret, { required: true });
    if (!encryptionKey) read.problems.push('ENCRYPTION_KEY is required in production (32 random bytes, base64)');
  } else if (!auth.jwtSecret || !encryptionKey) {
    const dev = loadOrCreateDevSecrets(dataDir);
    const generated = [!auth.jwtSecret && 'JWT_SECRET', !encryptionKey && 'ENCRYPTION_KEY'].filter(Boolean);
    auth.jwtSecret ??= dev.secrets.jwtSecret;
    encryptionKey ??= dev.secrets.encryptionKey;
    notices.push(
      `${dev.created ? 'generated' : 'using'} development ${generated.join(' and ')} ${dev.created ? 'into' : 'from'} ${dev.path}; set them explicitly in production`,
    );
  }
  if (auth.jwtSecret && (!production || !auth.jwksUri)) checkJwtSecret(read, auth.jwtSecret, { required: false });
  if (encryptionKey) checkEncryptionKey(read, encryptionKey, production);

  const config: AppConfig = {
    env: appEnv,
    http: {
      port,
      host,
      publicUrl,
      bodyLimit: read.int('BODY_LIMIT', 100 * 1024, 1024, 10 * 1024 * 1024),
      requestTimeoutMs: read.int('REQUEST_TIMEOUT_MS', 30_000, 100, 600_000),
      keepAliveTimeoutMs: read.int('KEEP_ALIVE_TIMEOUT_MS', 72_000, 1_000, 600_000),
      shutdownGraceMs: read.int('SHUTDOWN_GRACE_MS', 10_000, 0, 600_000),
      corsOrigins: read.list('CORS_ORIGINS'),
      trustProxy: read.bool('TRUST_PROXY', false),
    },
    database: readDatabaseConfig(read),
    auth,
    encryptionKey: encryptionKey ?? '',
    redis: { url: read.url('REDIS_URL', ['redis:', 'rediss:']) },
    papermap: {
      apiUrl: read.url('PAPERMAP_API_URL', ['https:', 'http:']) ?? 'https://prod.dataapi.papermap.ai',
      embedUrl: read.url('PAPERMAP_EMBED_URL', ['https:', 'http:']) ?? 'https://papermap.ai/embedded/dashboard',
      timeoutMs: read.int('PAPERMAP_TIMEOUT_MS', 10_000, 100, 120_000),
    },
    docs: { enabled: read.bool('DOCS_ENABLED', true) },
    metrics: { enabled: read.bool('METRICS_ENABLED', true), token: read.raw('METRICS_TOKEN') },
    log: { level: read.oneOf('LOG_LEVEL', LOG_LEVELS, 'info') },
    rateLimits: {
      iframeToken: read.rateLimit('RATE_LIMIT_IFRAME_TOKEN', '10/60s'),
      tokenGeneration: read.rateLimit('RATE_LIMIT_TOKEN_GENERATION', '100/60s'),
      tokenValidation: read.rateLimit('RATE_LIMIT_TOKEN_VALIDATION', '1000/60s'),
      tokenInvalidation: read.rateLimit('RATE_LIMIT_TOKEN_INVALIDATION', '100/60s'),
      default: read.rateLimit('RATE_LIMIT_DEFAULT', '600/60s'),
    },
    notices,
  };

  for (const origin of config.http.corsOrigins) {
    if (origin !== '*' && !isOrigin(origin)) read.problems.push(`CORS_ORIGINS has an entry that is not an origin (scheme://host[:port])`);
  }

  if (read.problems.length > 0) throw new ConfigError([...new Set(read.problems)]);
  return config;
}

/**
 * Only the database part, for the TypeORM CLI (`ormconfig.ts`): running migrations needs no
 * secrets, and must not generate development ones as a side effect.
 */
export function loadDatabaseConfiguration(env: Env = process.env): DatabaseConfig {
  const read = new EnvReader(env);
  const database = readDatabaseConfig(read);
  if (read.problems.length > 0) throw new ConfigError(read.problems);
  return database;
}

function readDatabaseConfig(read: EnvReader): DatabaseConfig {
  return {
    url: read.url('DATABASE_URL', ['postgres:', 'postgresql:']),
    dataDir: resolve(read.string('DATA_DIR', './.tessera')),
    poolSize: read.int('DATABASE_POOL_SIZE', 10, 1, 200),
    connectTimeoutMs: read.int('DATABASE_CONNECT_TIMEOUT_MS', 5_000, 100, 120_000),
    statementTimeoutMs: read.int('DATABASE_STATEMENT_TIMEOUT_MS', 15_000, 100, 600_000),
  };
}

function checkJwtSecret(read: EnvReader, secret: string | undefined, { required }: { required: boolean }): void {
  if (!secret) {
    if (required) read.problems.push('JWT_SECRET is required in production unless JWT_JWKS_URI is set');
    return;
  }
  if (Buffer.byteLength(secret, 'utf8') < MIN_JWT_SECRET_BYTES) {
    read.problems.push(`JWT_SECRET must be at least ${MIN_JWT_SECRET_BYTES} bytes`);
  } else if (isKnownDefaultSecret(secret) || hasLowVariety(secret)) {
    read.problems.push('JWT_SECRET is a well-known or low-entropy value; generate a random one');
  }
}

function checkEncryptionKey(read: EnvReader, key: string, production: boolean): void {
  const bytes = /^[A-Za-z0-9+/]+={0,2}$/.test(key) ? Buffer.from(key, 'base64') : Buffer.alloc(0);
  if (bytes.length !== 32) {
    read.problems.push('ENCRYPTION_KEY must be 32 bytes, base64-encoded (e.g. `openssl rand -base64 32`)');
  } else if (production && (isKnownDefaultSecret(key) || new Set(bytes).size < 8)) {
    read.problems.push('ENCRYPTION_KEY is a well-known or low-entropy value; generate a random one');
  }
}
