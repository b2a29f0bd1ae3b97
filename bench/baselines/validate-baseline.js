'use strict';
/**
 * Baseline for POST /api/v1/tokens/validate: a bare node:http server that verifies the very same
 * Tessera embed token (ES256 compact JWS) with the public key Tessera publishes, checks the header,
 * exp/nbf, aud and iss, looks the jti and the tenant/dashboard cutoffs up in in-memory revocation
 * sets, and answers Tessera's envelope with every claim. No framework, no database.
 *
 * Env: BASELINE_JWK (one key of Tessera's /.well-known/jwks.json), BASELINE_ISSUER, PORT.
 */
const crypto = require('node:crypto');
const { ok, fail, readJson, decodeJsonPart, serve } = require('./common');

const jwk = JSON.parse(process.env.BASELINE_JWK);
const publicKey = crypto.createPublicKey({ key: jwk, format: 'jwk' });
const issuer = process.env.BASELINE_ISSUER;
const AUDIENCES = new Set(['tessera:dashboard', 'tessera:project']);
const ECDSA = { key: publicKey, dsaEncoding: 'ieee-p1363' };
const BASE64URL = /^[A-Za-z0-9_-]+$/;
const SKEW_SECONDS = 60;

// A revocation list with some entries, like an instance that has revoked a few tokens.
const revokedJtis = new Set(Array.from({ length: 1000 }, () => crypto.randomUUID()));
const tenantCutoffs = new Map([['some-other-tenant', Date.now()]]);
const dashboardCutoffs = new Map([['dash_other', Date.now()]]);

function verify(token) {
  if (typeof token !== 'string' || token.length > 16 * 1024) return null;
  const parts = token.split('.');
  if (parts.length !== 3) return null;
  const [headerPart, payloadPart, signaturePart] = parts;
  if (!BASE64URL.test(headerPart) || !BASE64URL.test(payloadPart) || signaturePart.length !== 86 || !BASE64URL.test(signaturePart)) return null;
  const header = decodeJsonPart(headerPart);
  if (!header || header.alg !== 'ES256' || header.kid !== jwk.kid) return null;
  const signature = Buffer.from(signaturePart, 'base64url');
  if (signature.length !== 64) return null;
  if (!crypto.verify('sha256', Buffer.from(`${headerPart}.${payloadPart}`, 'ascii'), ECDSA, signature)) return null;
  const claims = decodeJsonPart(payloadPart);
  if (!claims || typeof claims.exp !== 'number' || typeof claims.jti !== 'string' || typeof claims.iat !== 'number') return null;
  const now = Date.now() / 1000;
  if (claims.exp <= now - SKEW_SECONDS) return null;
  if (typeof claims.nbf === 'number' && claims.nbf > now + SKEW_SECONDS) return null;
  if (!AUDIENCES.has(claims.aud) || claims.iss !== issuer) return null;
  const issuedAtMs = Math.round(claims.iat * 1000);
  if (revokedJtis.has(claims.jti)) return null;
  if ((tenantCutoffs.get(claims.tenantId) ?? -1) >= issuedAtMs) return null;
  if ((dashboardCutoffs.get(claims.dashboardId) ?? -1) >= issuedAtMs) return null;
  return claims;
}

serve((req, res) => {
  if (req.method !== 'POST' || req.url !== '/validate') return fail(res, 404, 'NOT_FOUND', 'Not found');
  readJson(req, res, (body) => {
    const claims = verify(body.token);
    if (!claims) return fail(res, 401, 'INVALID_TOKEN', 'Invalid token');
    ok(res, { valid: true, type: claims.typ, claims, expiresAt: new Date(claims.exp * 1000).toISOString() });
  });
});
