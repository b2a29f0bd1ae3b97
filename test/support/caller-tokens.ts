import { createSecretKey } from 'node:crypto';
import { SignJWT } from 'jose';
import { TEST_SECRETS } from './test-app';

export interface CallerClaims {
  org?: string;
  role?: 'admin' | 'member';
  tenants?: string[];
  sub?: string;
  /** Seconds until expiry (default 3600). */
  ttl?: number;
  /** Extra claims, e.g. `organization_id` or `roles`. */
  extra?: Record<string, unknown>;
}

/** A caller JWT signed with the tests' JWT_SECRET, as a company's identity provider would issue it. */
export async function callerToken(claims: CallerClaims = {}): Promise<string> {
  const { org = 'acme', role = 'admin', tenants = [], sub = 'user-1', ttl = 3600, extra = {} } = claims;
  return new SignJWT({ org, role, tenants, ...extra })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(sub)
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + ttl)
    .sign(createSecretKey(Buffer.from(TEST_SECRETS.JWT_SECRET, 'utf8')));
}

export const bearer = (token: string): Record<string, string> => ({ Authorization: `Bearer ${token}` });
