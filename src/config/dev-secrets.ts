import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from './config.error';

export const DEV_SECRETS_FILE = 'secrets.json';

export interface DevSecrets {
  jwtSecret: string;
  encryptionKey: string;
}

export interface LoadedDevSecrets {
  secrets: DevSecrets;
  path: string;
  created: boolean;
}

/**
 * Development-only secrets, generated once and kept in DATA_DIR so that tokens and encrypted
 * rows survive a restart. Never used with NODE_ENV=production (configuration refuses to start).
 */
export function loadOrCreateDevSecrets(dataDir: string): LoadedDevSecrets {
  const path = join(dataDir, DEV_SECRETS_FILE);
  const existing = readDevSecrets(path);
  if (existing) return { secrets: existing, path, created: false };

  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const secrets: DevSecrets = {
    jwtSecret: randomBytes(48).toString('base64url'),
    encryptionKey: randomBytes(32).toString('base64'),
  };
  try {
    // 'wx' fails if another process created the file first; then theirs wins.
    writeFileSync(path, `${JSON.stringify(secrets, null, 2)}\n`, { flag: 'wx', mode: 0o600 });
    return { secrets, path, created: true };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
      throw new ConfigError([`cannot write development secrets to ${path} (${(error as Error).message})`]);
    }
    const raced = readDevSecrets(path);
    if (!raced) throw new ConfigError([`${path} is unreadable`]);
    return { secrets: raced, path, created: false };
  }
}

function readDevSecrets(path: string): DevSecrets | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new ConfigError([`cannot read ${path} (${(error as NodeJS.ErrnoException).code})`]);
  }
  try {
    const parsed = JSON.parse(text) as Partial<DevSecrets>;
    if (typeof parsed.jwtSecret === 'string' && typeof parsed.encryptionKey === 'string') {
      return { jwtSecret: parsed.jwtSecret, encryptionKey: parsed.encryptionKey };
    }
  } catch {
    // fall through to the error below
  }
  throw new ConfigError([
    `${path} is not a valid development secrets file; delete it to generate new secrets (data encrypted with the old key becomes unreadable)`,
  ]);
}
