import { DataSource } from 'typeorm';
import { SecretBox } from '../common/crypto/secret-box';
import { ConfigError } from '../config/config.error';
import { Env, EnvReader } from '../config/env-parsers';
import { SigningKey } from './entities/signing-key.entity';
import { newSigningKeyRow, SIGNING_ALG } from './key-material';

export const DEFAULT_ROTATION_DAYS = 30;

/**
 * How long a rotated key stays published and trusted: the longest token lifetime (24 h) plus
 * five minutes for clock skew and for instances that still sign with it until their next refresh.
 */
export const ROTATION_OVERLAP = '24 hours 5 minutes';

/** `SIGNING_KEY_ROTATION_DAYS` (integer 1..365, default 30); throws ConfigError otherwise. */
export function signingKeyRotationDays(env: Env = process.env): number {
  const read = new EnvReader(env);
  const days = read.int('SIGNING_KEY_ROTATION_DAYS', DEFAULT_ROTATION_DAYS, 1, 365);
  if (read.problems.length > 0) throw new ConfigError(read.problems);
  return days;
}

/**
 * In one transaction: retires the active key from signing (it stays trusted for the overlap) and
 * inserts a new active one, or just inserts one when there is none. With `ifOlderThanDays` it
 * does nothing (returns null) while the active key is younger than that. Shared by the service
 * and `npm run keys:rotate`. Two callers at once: the loser fails with a unique violation on
 * `signing_keys_one_active`, and should reload.
 */
export async function rotateSigningKey(dataSource: DataSource, box: SecretBox): Promise<string>;
export async function rotateSigningKey(dataSource: DataSource, box: SecretBox, ifOlderThanDays: number): Promise<string | null>;
export async function rotateSigningKey(dataSource: DataSource, box: SecretBox, ifOlderThanDays?: number): Promise<string | null> {
  // Only the transaction's manager inside: on the embedded database there is one connection.
  return dataSource.transaction(async (manager) => {
    const active: Array<{ kid: string; due: boolean }> = await manager.query(
      `SELECT kid, created_at <= now() - make_interval(days => $2::int) AS due
         FROM signing_keys WHERE alg = $1 AND rotated_at IS NULL FOR UPDATE`,
      [SIGNING_ALG, ifOlderThanDays ?? 0],
    );
    if (active.length > 0 && ifOlderThanDays !== undefined && !active[0].due) return null;
    if (active.length > 0) {
      await manager.query(
        `UPDATE signing_keys SET rotated_at = now(), retire_after = now() + $2::interval WHERE kid = $1`,
        [active[0].kid, ROTATION_OVERLAP],
      );
    }
    const row = newSigningKeyRow(box);
    await manager.insert(SigningKey, row);
    return row.kid;
  });
}
