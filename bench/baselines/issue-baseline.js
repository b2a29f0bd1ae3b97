'use strict';
/**
 * Baseline for token issuance (POST /api/v1/dashboards/iframe-token, POST /api/v1/tokens) and the
 * reference for the dashboard read: a bare node:http server that per request verifies an HS256
 * caller JWT from the Authorization header (raw HMAC with a prepared KeyObject, constant-time
 * compare, exp/nbf/iat, org, role), parses and validates the iframe-token body by hand (allowed
 * keys, id patterns, optional valid_until and rcls rules), checks has_access and the tenant's
 * dashboard in an in-memory map, signs an ES256 compact JWS with Tessera's claim set using a
 * prepared private KeyObject, and answers Tessera's envelope. No framework, no database.
 *
 * Env: BASELINE_JWT_SECRET (Tessera's JWT_SECRET), BASELINE_DASHBOARDS (JSON [[tenant, workspace,
 * dashboard], ...]), BASELINE_ISSUER, PORT.
 */
const crypto = require('node:crypto');
const { ok, fail, readJson, decodeJsonPart, serve } = require('./common');

const secretKey = crypto.createSecretKey(Buffer.from(process.env.BASELINE_JWT_SECRET, 'utf8'));
const issuer = process.env.BASELINE_ISSUER || 'http://127.0.0.1';
const dashboards = new Map(JSON.parse(process.env.BASELINE_DASHBOARDS || '[]').map(([tenant, workspace, dashboard]) => [tenant, { workspace, dashboard }]));
const { privateKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
const kid = crypto.randomBytes(8).toString('hex');
const HEADER_PART = Buffer.from(JSON.stringify({ alg: 'ES256', typ: 'JWT', kid })).toString('base64url');
const HS256_HEADER = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');
const ECDSA = { key: privateKey, dsaEncoding: 'ieee-p1363' };
const BEARER = /^Bearer +([A-Za-z0-9\-_.]+)$/i;
const RESOURCE_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;
const IDENTIFIER = /^([A-Za-z_][A-Za-z0-9_]{0,62}\.)?[A-Za-z_][A-Za-z0-9_]{0,62}$/;
const OPERATORS = new Set(['eq', 'neq', 'in', 'not_in', 'gt', 'gte', 'lt', 'lte', 'between', 'is_null', 'not_null']);
const ALLOWED_KEYS = new Set(['tenant_id', 'workspace_id', 'dashboard_id', 'valid_until', 'rcls']);
const SKEW_SECONDS = 60;

/** The caller's claims, or null: HS256 only, exp required, 60 s skew. */
function verifyCaller(authorization) {
  const match = typeof authorization === 'string' ? BEARER.exec(authorization) : null;
  if (!match || match[1].length > 8192) return null;
  const parts = match[1].split('.');
  if (parts.length !== 3) return null;
  const [headerPart, payloadPart, signaturePart] = parts;
  let header = headerPart === HS256_HEADER ? { alg: 'HS256' } : decodeJsonPart(headerPart);
  if (!header || header.alg !== 'HS256' || 'jku' in header || 'jwk' in header || 'x5u' in header || 'x5c' in header) return null;
  const expected = crypto.createHmac('sha256', secretKey).update(`${headerPart}.${payloadPart}`).digest();
  const actual = Buffer.from(signaturePart, 'base64url');
  if (actual.length !== expected.length || !crypto.timingSafeEqual(actual, expected)) return null;
  const claims = decodeJsonPart(payloadPart);
  if (!claims || typeof claims.exp !== 'number' || typeof claims.sub !== 'string') return null;
  const now = Date.now() / 1000;
  if (claims.exp <= now - SKEW_SECONDS) return null;
  if (typeof claims.nbf === 'number' && claims.nbf > now + SKEW_SECONDS) return null;
  if (typeof claims.iat === 'number' && claims.iat > now + SKEW_SECONDS) return null;
  const org = claims.org ?? claims.organization_id;
  if (typeof org !== 'string' || org.length === 0) return null;
  const admin = claims.role === 'admin' || (Array.isArray(claims.roles) && claims.roles.includes('admin'));
  return { sub: claims.sub, org, admin, tenants: Array.isArray(claims.tenants) ? claims.tenants : [] };
}

/** Field errors of the body, by hand; an empty list when it is valid. */
function validateBody(body) {
  const errors = [];
  for (const key of Object.keys(body)) if (!ALLOWED_KEYS.has(key)) errors.push({ field: key, message: 'unknown field' });
  if (typeof body.tenant_id !== 'string' || !RESOURCE_ID.test(body.tenant_id)) errors.push({ field: 'tenant_id', message: 'invalid id' });
  if (typeof body.workspace_id !== 'string' || !RESOURCE_ID.test(body.workspace_id)) errors.push({ field: 'workspace_id', message: 'invalid id' });
  if (typeof body.dashboard_id !== 'string' || body.dashboard_id.length < 1 || body.dashboard_id.length > 256) errors.push({ field: 'dashboard_id', message: 'invalid id' });
  if (body.valid_until !== undefined && (!Number.isInteger(body.valid_until) || body.valid_until < 0)) errors.push({ field: 'valid_until', message: 'must be an integer ≥ 0' });
  if (body.rcls !== undefined) {
    const rules = Array.isArray(body.rcls) ? body.rcls : [body.rcls];
    if (rules.length > 50) errors.push({ field: 'rcls', message: 'at most 50 rules' });
    rules.forEach((rule, i) => {
      if (!rule || typeof rule !== 'object' || !IDENTIFIER.test(rule.column) || !OPERATORS.has(rule.operator)) errors.push({ field: `rcls[${i}]`, message: 'invalid rule' });
      else if (rule.values !== undefined && (!Array.isArray(rule.values) || rule.values.length > 100 || rule.values.some((v) => typeof v === 'object'))) errors.push({ field: `rcls[${i}].values`, message: 'invalid values' });
    });
  }
  return errors;
}

serve((req, res) => {
  if (req.method !== 'POST' || req.url !== '/issue') return fail(res, 404, 'NOT_FOUND', 'Not found');
  const caller = verifyCaller(req.headers.authorization);
  if (!caller) return fail(res, 401, 'UNAUTHORIZED', 'Unauthorized');
  readJson(req, res, (body) => {
    const errors = validateBody(body);
    if (errors.length > 0) return fail(res, 422, 'VALIDATION_ERROR', 'Validation failed');
    if (!caller.admin && !caller.tenants.includes(body.tenant_id)) return fail(res, 403, 'FORBIDDEN', 'Forbidden');
    const dashboard = dashboards.get(body.tenant_id);
    if (dashboards.size > 0 && (!dashboard || dashboard.workspace !== body.workspace_id || dashboard.dashboard !== body.dashboard_id)) return fail(res, 404, 'NOT_FOUND', 'Not found');
    const nowMs = Date.now();
    const iat = nowMs / 1000;
    const exp = body.valid_until ?? Math.floor(iat) + 3600;
    const claims = {
      iss: issuer,
      aud: 'tessera:dashboard',
      sub: `org-user:${caller.sub}`,
      jti: crypto.randomUUID(),
      iat,
      nbf: Math.floor(iat),
      exp,
      typ: 'dashboard',
      org: caller.org,
      projectId: body.workspace_id,
      tenantId: body.tenant_id,
      dashboardId: body.dashboard_id,
      endUserId: null,
      role: null,
      allowEdit: false,
      cls: null,
      rcls: body.rcls ?? null,
      sls: null,
      params: null,
      config: null,
      initialDashboardId: null,
      allowedSemanticDomains: null,
    };
    const signingInput = `${HEADER_PART}.${Buffer.from(JSON.stringify(claims), 'utf8').toString('base64url')}`;
    const token = `${signingInput}.${crypto.sign('sha256', Buffer.from(signingInput, 'ascii'), ECDSA).toString('base64url')}`;
    const embedUrl = `${issuer}/embedded/dashboard?embedded-token=${token}&workspace-id=${encodeURIComponent(body.workspace_id)}&dashboard-id=${encodeURIComponent(body.dashboard_id)}`;
    ok(res, { token, dashboard_id: body.dashboard_id, expires_at: exp, embed_url: embedUrl });
  });
});
