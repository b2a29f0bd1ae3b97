'use strict';
/**
 * `npm run bench` (after `nest build`): Tessera on a fresh PostgreSQL database against bare
 * node:http baselines, driven by autocannon in this process. Writes bench/results.md.
 *
 * Environment (all optional):
 *   BENCH_DATABASE_URL  PostgreSQL to create the throw-away database on
 *                       (default postgres://postgres@127.0.0.1:5432/postgres)
 *   BENCH_DURATION      measured seconds per case (default 10)
 *   BENCH_WARMUP        warm-up seconds before each measurement (default 10)
 *   BENCH_CONNECTIONS   autocannon connections (default 50)
 *   BENCH_ROUNDS        rounds of the Tessera cases, for the memory-growth check (default 2)
 *   BENCH_CASES         comma-separated subset: validate,iframe-token,tokens,dashboard-read
 *   BENCH_CALLERS       distinct caller JWTs rotated in the iframe-token case (default 1000)
 *   BENCH_TENANTS       tenants, each with a dashboard (default 20)
 *   BENCH_RESULTS       where to write the report (default bench/results.md)
 *   BENCH_CPU_PROF      a directory: run the server with `node --cpu-prof` writing there
 *   BENCH_RSS_GROWTH_MB tolerance of the "no growth across two rounds" check (default 10), on RSS
 *                       sampled after a full GC (see settledMemory: the bench turns the server's
 *                       inspector on with SIGUSR1 between rounds, so Node 20 runs this file with
 *                       --experimental-websocket, as `npm run bench` does)
 *   BENCH_ENV_<NAME>    passed to the server as <NAME> (e.g. BENCH_ENV_DATABASE_POOL_SIZE=20)
 *
 * Exit status: 0 when the run completed (targets missed or not: it is a measurement); 1 when the
 * server or a baseline does not start, seeding fails, or any case has more than 1% errors.
 */
const { spawn, execFileSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const { Client } = require('pg');
const autocannon = require('autocannon');

const ROOT = path.resolve(__dirname, '..');
const SERVER_ENTRY = path.join(ROOT, 'dist', 'src', 'main.js');
/**
 * The V8 flags of `npm run start:prod` (package.json), so the bench runs what production runs;
 * the baselines get the same flags, so both sides of a ratio run on the same V8 settings.
 */
const NODE_FLAGS = require('../package.json').scripts['start:prod'].split(/\s+/).filter((arg) => arg.startsWith('--'));
const HUGE_LIMIT = '100000000/60s';
const P99_TARGET_MS = 25;
const MAX_ERROR_RATE = 0.01;
const RSS_TARGET_MB = 300;

const settings = {
  databaseUrl: process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres',
  duration: positive('BENCH_DURATION', 10),
  // Tessera has far more code for V8 to optimise than a baseline: a short warm-up measures the JIT.
  warmup: positive('BENCH_WARMUP', 10, true),
  connections: positive('BENCH_CONNECTIONS', 50),
  rounds: positive('BENCH_ROUNDS', 2),
  callers: positive('BENCH_CALLERS', 1000),
  tenants: positive('BENCH_TENANTS', 20),
  cases: (process.env.BENCH_CASES || '').split(',').map((s) => s.trim()).filter(Boolean),
  results: path.resolve(process.env.BENCH_RESULTS || path.join(__dirname, 'results.md')),
  cpuProfDir: process.env.BENCH_CPU_PROF ? path.resolve(process.env.BENCH_CPU_PROF) : undefined,
  rssGrowthMb: positive('BENCH_RSS_GROWTH_MB', 10, true),
};

const ORG = 'bench';
const WORKSPACE_ID = 'bench-ws';
const RCLS = [{ column: 'region', operator: 'in', values: ['EU', 'US'] }];

/** The four cases, in run order. `baseline` names the bare node:http server it is compared with. */
const CASES = [
  { id: 'validate', title: 'POST /api/v1/tokens/validate', baseline: 'validate', target: 0.8 },
  { id: 'iframe-token', title: 'POST /api/v1/dashboards/iframe-token', baseline: 'issue', target: 0.4 },
  { id: 'tokens', title: 'POST /api/v1/tokens (rcls)', baseline: 'issue', target: 0.4 },
  { id: 'dashboard-read', title: 'GET /api/v1/dashboards/{tenantId}', baseline: 'issue', target: 0.3 },
];
const BASELINES = {
  validate: { script: path.join(__dirname, 'baselines', 'validate-baseline.js'), title: 'validate baseline (node:http, ES256 verify)' },
  issue: { script: path.join(__dirname, 'baselines', 'issue-baseline.js'), title: 'issuance baseline (node:http, HS256 verify + ES256 sign)' },
};

// ---------------------------------------------------------------------------------------------
// Child processes and clean-up

const children = new Set();
let database; // { name }
let statsClient; // a connection to the bench database, for transaction counts
let workDir;
let cleaning;

function log(message) {
  process.stdout.write(`[bench] ${message}\n`);
}

/** What Node prints when settledMemory() turns the inspector on and off: not the server's output. */
const INSPECTOR_CHATTER = /^(Debugger (listening on|attached|ending on)|For help, see: https:\/\/nodejs\.org\/en\/docs\/inspector)/;

function startProcess(name, args, { env, cwd }) {
  const proc = spawn(process.execPath, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const child = { name, proc, output: [], exited: false };
  child.exit = new Promise((resolve) => {
    proc.once('exit', (code, signal) => {
      child.exited = true;
      child.code = code;
      child.signal = signal;
      children.delete(child);
      resolve({ code, signal });
    });
    proc.once('error', (error) => {
      child.output.push(`spawn error: ${error.message}`);
      child.exited = true;
      children.delete(child);
      resolve({ code: -1 });
    });
  });
  const keep = (chunk) => {
    for (const line of chunk.toString('utf8').split('\n')) if (line && !INSPECTOR_CHATTER.test(line)) child.output.push(line);
    if (child.output.length > 200) child.output.splice(0, child.output.length - 200);
  };
  proc.stdout.on('data', keep);
  proc.stderr.on('data', keep);
  children.add(child);
  return child;
}

async function stopProcess(child, graceMs = 15_000) {
  if (!child || child.exited) return;
  child.proc.kill('SIGTERM');
  const timer = new Promise((resolve) => setTimeout(resolve, graceMs).unref());
  await Promise.race([child.exit, timer]);
  if (!child.exited) {
    child.proc.kill('SIGKILL');
    await child.exit;
  }
}

async function cleanup() {
  cleaning ??= (async () => {
    await Promise.all([...children].map((child) => stopProcess(child)));
    if (statsClient) await statsClient.end().catch(() => {});
    statsClient = undefined;
    if (database) {
      const client = new Client({ connectionString: settings.databaseUrl });
      try {
        await client.connect();
        await client.query(`DROP DATABASE IF EXISTS ${database.name} WITH (FORCE)`);
        log(`dropped database ${database.name}`);
      } catch (error) {
        process.stderr.write(`[bench] could not drop database ${database.name}: ${error.message}\n`);
      } finally {
        await client.end().catch(() => {});
      }
      database = undefined;
    }
    if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
  })();
  return cleaning;
}

process.on('exit', () => {
  for (const child of children) child.proc.kill('SIGKILL');
});
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    log(`${signal}: stopping`);
    cleanup().finally(() => process.exit(130));
  });
}

// ---------------------------------------------------------------------------------------------
// Helpers

function positive(name, fallback, zeroAllowed = false) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0 || (!zeroAllowed && value === 0)) throw new Error(`${name} must be a ${zeroAllowed ? 'non-negative' : 'positive'} number`);
  return value;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function b64url(value) {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

/** A caller JWT as an identity provider would issue it: HS256 over JWT_SECRET. */
function signCallerJwt(secret, claims) {
  const signingInput = `${b64url({ alg: 'HS256', typ: 'JWT' })}.${b64url(claims)}`;
  return `${signingInput}.${crypto.createHmac('sha256', Buffer.from(secret, 'utf8')).update(signingInput).digest('base64url')}`;
}

/** The process's resident set and its peak, in MB, from /proc (Linux). */
function memoryOf(pid) {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1]);
    return { rss: kb('VmRSS') / 1024, hwm: kb('VmHWM') / 1024 };
  } catch {
    return { rss: NaN, hwm: NaN };
  }
}

/**
 * The server's RSS right after a full garbage collection. Sampled straight after a case, RSS
 * mostly measures how much garbage V8 had not collected yet (it swings by ~100 MB from one case
 * to the next, and V8's idle-time shrinking may or may not run within a minute), so comparing two
 * such samples says nothing about growth. Between rounds the bench turns the server's inspector
 * on (SIGUSR1, on the loopback port reserved with --inspect-port; the server runs without it
 * until then), asks for `HeapProfiler.collectGarbage` twice, and reads RSS once the heap has
 * given its free pages back: what is left is what the process retains.
 */
async function settledMemory(tessera) {
  const pid = tessera.child.proc.pid;
  if (typeof WebSocket !== 'function') throw new Error('bench/run.js needs WebSocket (Node 22, or Node 20 with --experimental-websocket as `npm run bench` passes)');
  process.kill(pid, 'SIGUSR1');
  const target = await inspectorTarget(tessera.inspectPort);
  const socket = new WebSocket(target);
  await new Promise((resolve, reject) => {
    socket.onopen = resolve;
    socket.onerror = () => reject(new Error(`could not reach the server's inspector at ${target}`));
  });
  let nextId = 0;
  const pending = new Map();
  socket.onmessage = (event) => {
    const message = JSON.parse(String(event.data));
    pending.get(message.id)?.(message);
  };
  const call = (method) =>
    new Promise((resolve, reject) => {
      const id = ++nextId;
      const timer = setTimeout(() => reject(new Error(`inspector: ${method} timed out`)), 30_000);
      pending.set(id, (message) => {
        clearTimeout(timer);
        if (message.error) reject(new Error(`inspector: ${method}: ${message.error.message}`));
        else resolve(message.result);
      });
      socket.send(JSON.stringify({ id, method }));
    });
  await call('HeapProfiler.collectGarbage');
  await call('HeapProfiler.collectGarbage');
  socket.close();
  await sleep(2000);
  return memoryOf(pid);
}

/** The WebSocket URL of the server's inspector, once it listens after SIGUSR1. */
async function inspectorTarget(port) {
  const started = Date.now();
  for (;;) {
    try {
      const response = await fetch(`http://127.0.0.1:${port}/json/list`);
      const [target] = await response.json();
      if (target?.webSocketDebuggerUrl) return target.webSocketDebuggerUrl;
    } catch {
      // not listening yet
    }
    if (Date.now() - started > 10_000) throw new Error(`the server's inspector did not come up on port ${port}`);
    await sleep(100);
  }
}

let clockTicks;
/** CPU seconds (user + system) the process has used so far, from /proc/<pid>/stat (Linux). */
function cpuSecondsOf(pid) {
  try {
    clockTicks ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / clockTicks;
  } catch {
    return NaN;
  }
}

async function request(base, method, urlPath, { token, body } = {}) {
  const headers = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${base}${urlPath}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, json, text };
}

async function expectOk(base, method, urlPath, options, what) {
  const res = await request(base, method, urlPath, options);
  if (res.status < 200 || res.status > 299) throw new Error(`${what}: ${method} ${urlPath} answered ${res.status}: ${res.text.slice(0, 500)}`);
  return res.json?.data;
}

function cycle(list) {
  let i = 0;
  return () => list[i++ % list.length];
}

function fmt(value, digits = 0) {
  return Number.isFinite(value) ? value.toFixed(digits) : 'n/a';
}

function git(args) {
  try {
    return execFileSync('git', args, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return '';
  }
}

// ---------------------------------------------------------------------------------------------
// Tessera: database, process, seed

async function createDatabase() {
  const name = `tessera_bench_${crypto.randomBytes(6).toString('hex')}`;
  const client = new Client({ connectionString: settings.databaseUrl });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
    database = { name };
    const version = (await client.query('SHOW server_version')).rows[0].server_version;
    const url = new URL(settings.databaseUrl);
    url.pathname = `/${name}`;
    return { name, url: url.toString(), version };
  } finally {
    await client.end();
  }
}

async function startTessera(databaseUrl) {
  if (!fs.existsSync(SERVER_ENTRY)) throw new Error(`${path.relative(ROOT, SERVER_ENTRY)} is missing: run \`nest build\` first (npm run bench does)`);
  const port = await freePort();
  const jwtSecret = crypto.randomBytes(48).toString('base64url');
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tessera-bench-'));
  const base = `http://127.0.0.1:${port}`;
  const env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'production',
    PORT: String(port),
    HOST: '127.0.0.1',
    PUBLIC_URL: base,
    DATABASE_URL: databaseUrl,
    DATA_DIR: path.join(workDir, 'data'),
    JWT_SECRET: jwtSecret,
    ENCRYPTION_KEY: crypto.randomBytes(32).toString('base64'),
    LOG_LEVEL: 'warn',
    METRICS_ENABLED: 'false',
    DOCS_ENABLED: 'false',
    RATE_LIMIT_IFRAME_TOKEN: HUGE_LIMIT,
    RATE_LIMIT_TOKEN_GENERATION: HUGE_LIMIT,
    RATE_LIMIT_TOKEN_VALIDATION: HUGE_LIMIT,
    RATE_LIMIT_TOKEN_INVALIDATION: HUGE_LIMIT,
    RATE_LIMIT_DEFAULT: HUGE_LIMIT,
  };
  const passed = [];
  for (const [name, value] of Object.entries(process.env)) {
    if (name.startsWith('BENCH_ENV_') && name.length > 10) {
      env[name.slice(10)] = value;
      // Shown in results.md, so secrets and connection strings are not.
      passed.push(`${name.slice(10)}=${/SECRET|KEY|PASSWORD|TOKEN|URL/i.test(name) ? '[REDACTED]' : value}`);
    }
  }
  // Only reserves the port: the inspector stays off until settledMemory() sends SIGUSR1.
  const inspectPort = await freePort();
  const args = [`--inspect-port=127.0.0.1:${inspectPort}`];
  if (settings.cpuProfDir) {
    fs.mkdirSync(settings.cpuProfDir, { recursive: true });
    args.push('--cpu-prof', `--cpu-prof-dir=${settings.cpuProfDir}`);
  }
  args.push(...NODE_FLAGS, SERVER_ENTRY);
  // The working directory is a temporary one, so no .env of the repository is picked up.
  const child = startProcess('tessera', args, { env, cwd: workDir });
  const started = Date.now();
  for (;;) {
    if (child.exited) throw new Error(`Tessera exited during start-up (code ${child.code}, signal ${child.signal}):\n${child.output.slice(-30).join('\n')}`);
    if (Date.now() - started > 60_000) throw new Error(`Tessera not ready after 60 s:\n${child.output.slice(-30).join('\n')}`);
    try {
      const res = await fetch(`${base}/health/ready`);
      await res.arrayBuffer();
      if (res.status === 200) break;
    } catch {
      // not listening yet
    }
    await sleep(200);
  }
  log(`Tessera ready on ${base} (pid ${child.proc.pid}) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return { child, base, port, inspectPort, jwtSecret, passed };
}

async function seed(tessera) {
  const now = Math.floor(Date.now() / 1000);
  const claims = (sub) => ({ sub, org: ORG, role: 'admin', iat: now, exp: now + 4 * 3600 });
  const admin = signCallerJwt(tessera.jwtSecret, claims('bench-admin'));
  const callers = Array.from({ length: settings.callers }, (_, i) => signCallerJwt(tessera.jwtSecret, claims(`bench-caller-${i}`)));

  await expectOk(tessera.base, 'POST', '/api/v1/workspaces', { token: admin, body: { id: WORKSPACE_ID, name: 'Bench workspace', provider: 'builtin' } }, 'create workspace');
  const dashboards = [];
  for (let i = 0; i < settings.tenants; i++) {
    const tenantId = `bench-tenant-${String(i).padStart(3, '0')}`;
    await expectOk(tessera.base, 'POST', '/api/v1/tenants', { token: admin, body: { id: tenantId, name: `Bench tenant ${i}` } }, 'create tenant');
    const created = await expectOk(
      tessera.base,
      'POST',
      '/api/v1/dashboards',
      { token: admin, body: { tenant_id: tenantId, workspace_id: WORKSPACE_ID, name: `Bench dashboard ${i}` } },
      'create dashboard',
    );
    if (!created?.dashboard_id || !created?.dashboard_secret) throw new Error(`create dashboard: unexpected answer ${JSON.stringify(created)}`);
    dashboards.push({ tenantId, dashboardId: created.dashboard_id, secret: created.dashboard_secret });
  }
  const issued = await expectOk(
    tessera.base,
    'POST',
    '/api/v1/tokens',
    { body: { dashboardId: dashboards[0].dashboardId, dashboardSecret: dashboards[0].secret, rcls: RCLS } },
    'issue the token to validate',
  );
  const embedToken = issued?.accessToken;
  if (typeof embedToken !== 'string') throw new Error(`POST /api/v1/tokens: unexpected answer ${JSON.stringify(issued)}`);
  const jwksAnswer = await request(tessera.base, 'GET', '/.well-known/jwks.json');
  const keys = jwksAnswer.json?.keys ?? jwksAnswer.json?.data?.keys;
  const kid = JSON.parse(Buffer.from(embedToken.split('.')[0], 'base64url').toString('utf8')).kid;
  const jwk = keys?.find((key) => key.kid === kid);
  if (!jwk) throw new Error(`the token's key ${kid} is not in /.well-known/jwks.json`);
  log(`seeded: 1 workspace, ${dashboards.length} tenants with dashboards, ${callers.length} caller JWTs, 1 embed token (${embedToken.length} chars)`);
  return { admin, callers, dashboards, embedToken, jwk };
}

// ---------------------------------------------------------------------------------------------
// Requests of each case (Tessera and baseline)

const JSON_HEADERS = { 'content-type': 'application/json' };

function tesseraRequests(caseId, seeded) {
  const first = seeded.dashboards[0];
  switch (caseId) {
    case 'validate':
      // The same token again and again, as the embed runtime does during a page view.
      return [{ method: 'POST', path: '/api/v1/tokens/validate', headers: JSON_HEADERS, body: JSON.stringify({ token: seeded.embedToken }) }];
    case 'iframe-token': {
      // Many callers, one tenant: the per-caller limit is not what is measured.
      const nextCaller = cycle(seeded.callers.map((jwt) => `Bearer ${jwt}`));
      const body = JSON.stringify({ tenant_id: first.tenantId, workspace_id: WORKSPACE_ID, dashboard_id: first.dashboardId });
      return [
        {
          method: 'POST',
          path: '/api/v1/dashboards/iframe-token',
          setupRequest: (req) => {
            req.headers = { ...JSON_HEADERS, authorization: nextCaller() };
            req.body = body;
            return req;
          },
        },
      ];
    }
    case 'tokens': {
      const nextBody = cycle(seeded.dashboards.map((d) => JSON.stringify({ dashboardId: d.dashboardId, dashboardSecret: d.secret, rcls: RCLS })));
      return [
        {
          method: 'POST',
          path: '/api/v1/tokens',
          setupRequest: (req) => {
            req.headers = { ...JSON_HEADERS };
            req.body = nextBody();
            return req;
          },
        },
      ];
    }
    case 'dashboard-read': {
      const nextPath = cycle(seeded.dashboards.map((d) => `/api/v1/dashboards/${encodeURIComponent(d.tenantId)}`));
      const authorization = `Bearer ${seeded.admin}`;
      return [
        {
          method: 'GET',
          path: '/api/v1/dashboards/x',
          setupRequest: (req) => {
            req.headers = { authorization };
            req.path = nextPath();
            return req;
          },
        },
      ];
    }
    default:
      throw new Error(`unknown case ${caseId}`);
  }
}

function baselineRequests(baselineId, seeded) {
  if (baselineId === 'validate') {
    return [{ method: 'POST', path: '/validate', headers: JSON_HEADERS, body: JSON.stringify({ token: seeded.embedToken }) }];
  }
  const first = seeded.dashboards[0];
  const nextCaller = cycle(seeded.callers.map((jwt) => `Bearer ${jwt}`));
  const body = JSON.stringify({ tenant_id: first.tenantId, workspace_id: WORKSPACE_ID, dashboard_id: first.dashboardId, rcls: RCLS });
  return [
    {
      method: 'POST',
      path: '/issue',
      setupRequest: (req) => {
        req.headers = { ...JSON_HEADERS, authorization: nextCaller() };
        req.body = body;
        return req;
      },
    },
  ];
}

/** Starts the case's baseline, drives it like the Tessera case, stops it. */
async function measureBaseline(c, when, tessera, seeded) {
  const server = await startBaseline(c.baseline, tessera, seeded);
  try {
    const result = await drive(server.base, baselineRequests(c.baseline, seeded), `${c.baseline} baseline`, { pid: server.child.proc.pid });
    log(`${c.id}: ${c.baseline} baseline (${when}) ${fmt(result.reqPerSec)} req/s, p99 ${fmt(result.p99)} ms, ${result.failures} failures, CPU ${cpu(result)} %`);
    return result;
  } finally {
    await stopProcess(server.child);
  }
}

async function startBaseline(baselineId, tessera, seeded) {
  const env = {
    PATH: process.env.PATH,
    PORT: '0',
    BASELINE_ISSUER: tessera.base,
    BASELINE_JWK: JSON.stringify(seeded.jwk),
    BASELINE_JWT_SECRET: tessera.jwtSecret,
    BASELINE_DASHBOARDS: JSON.stringify(seeded.dashboards.map((d) => [d.tenantId, WORKSPACE_ID, d.dashboardId])),
  };
  const child = startProcess(`${baselineId} baseline`, [...NODE_FLAGS, BASELINES[baselineId].script], { env, cwd: __dirname });
  const started = Date.now();
  while (!child.output.some((line) => line.startsWith('listening '))) {
    if (child.exited) throw new Error(`${child.name} exited at start (code ${child.code}):\n${child.output.join('\n')}`);
    if (Date.now() - started > 10_000) throw new Error(`${child.name} did not start within 10 s`);
    await sleep(20);
  }
  const port = Number(child.output.find((line) => line.startsWith('listening ')).split(' ')[1]);
  return { child, base: `http://127.0.0.1:${port}`, port };
}

// ---------------------------------------------------------------------------------------------
// Load

/** One request through fetch, so a broken case fails loudly before its load run. */
async function probe(base, requests, what) {
  const built = { method: 'GET', path: '/', headers: {}, ...requests[0] };
  const req = built.setupRequest ? built.setupRequest({ ...built, headers: { ...built.headers } }) : built;
  const res = await fetch(`${base}${req.path}`, { method: req.method, headers: req.headers, body: req.body });
  const text = await res.text();
  if (res.status < 200 || res.status > 299) throw new Error(`${what}: ${req.method} ${req.path} answered ${res.status}: ${text.slice(0, 500)}`);
}

function cannon(base, requests, duration) {
  return autocannon({ url: base, connections: settings.connections, pipelining: 1, duration, timeout: 10, requests });
}

/**
 * Committed + rolled-back transactions of the bench database so far (each statement outside a
 * transaction is one). PostgreSQL publishes backend counters about once a second, so a count
 * taken under load and one right after it lag alike and their difference is close.
 */
async function databaseTransactions() {
  if (!statsClient) return NaN;
  const { rows } = await statsClient.query('SELECT xact_commit + xact_rollback AS n FROM pg_stat_database WHERE datname = current_database()');
  return Number(rows[0].n);
}

async function drive(base, requests, what, { pid, countTransactions = false }) {
  await probe(base, requests, what);
  if (settings.warmup > 0) await cannon(base, requests, settings.warmup);
  const before = countTransactions ? await databaseTransactions() : NaN;
  const serverCpuBefore = cpuSecondsOf(pid);
  const clientCpuBefore = process.cpuUsage();
  const startedAt = process.hrtime.bigint();
  const result = await cannon(base, requests, settings.duration);
  const seconds = Number(process.hrtime.bigint() - startedAt) / 1e9;
  const serverCpu = (cpuSecondsOf(pid) - serverCpuBefore) / seconds;
  const clientCpuUsed = process.cpuUsage(clientCpuBefore);
  const clientCpu = (clientCpuUsed.user + clientCpuUsed.system) / 1e6 / seconds;
  const after = countTransactions ? await databaseTransactions() : NaN;
  const failures = result.non2xx + result.errors;
  const attempts = result.requests.total + result.errors;
  const codes = Object.entries(result.statusCodeStats || {})
    .filter(([code]) => code < '200' || code > '299')
    .map(([code, { count }]) => `${code}×${count}`);
  return {
    reqPerSec: result.requests.average,
    total: result.requests.total,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    failures,
    errorRate: attempts > 0 ? failures / attempts : 1,
    codes,
    // The stats connection's own query is one of them.
    serverCpu,
    clientCpu,
    xactsPerRequest: result.requests.total > 0 ? Math.max(0, after - before - 1) / result.requests.total : NaN,
  };
}

// ---------------------------------------------------------------------------------------------
// Report

function evaluate(row) {
  const misses = [];
  if (!(row.ratio >= row.target)) misses.push(`ratio ${fmt(row.ratio, 2)} < ${row.target}`);
  if (!(row.p99 < P99_TARGET_MS)) misses.push(`p99 ${fmt(row.p99, 1)} ms ≥ ${P99_TARGET_MS} ms`);
  if (row.failures > 0) misses.push(`${row.failures} non-2xx/errors`);
  return misses;
}

function machineInfo(pgVersion) {
  const cpus = os.cpus();
  const models = [...new Set(cpus.map((cpu) => cpu.model.trim()))].join(', ');
  let tesseraVersion = '?';
  let autocannonVersion = '?';
  try {
    tesseraVersion = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version;
    autocannonVersion = JSON.parse(fs.readFileSync(require.resolve('autocannon/package.json'), 'utf8')).version;
  } catch {
    // leave '?'
  }
  const commit = git(['rev-parse', '--short', 'HEAD']) || 'unknown';
  const dirty = git(['status', '--porcelain', '--untracked-files=no']) ? ' (with uncommitted changes)' : '';
  return {
    os: `${os.type()} ${os.release()} (${os.arch()})`,
    cpus: `${cpus.length} × ${models}`,
    memory: `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB total, ${(os.freemem() / 2 ** 30).toFixed(1)} GiB free at the end`,
    loadavg: os.loadavg().map((n) => n.toFixed(2)).join(' / '),
    node: process.version,
    postgres: pgVersion,
    tessera: `${tesseraVersion}, commit ${commit}${dirty}`,
    autocannon: autocannonVersion,
  };
}

function cpu(measured) {
  return `${fmt(measured.serverCpu * 100)}/${fmt(measured.clientCpu * 100)}`;
}

function mainTable(rows) {
  const lines = [
    '| case | req/s | p50 ms | p99 ms | non-2xx+errors | RSS MB | baseline req/s | ratio | target | met? | DB xacts/req | CPU % server/client |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- | ---: | ---: |',
  ];
  for (const row of rows) {
    const misses = evaluate(row);
    lines.push(
      `| ${row.title} | ${fmt(row.reqPerSec)} | ${fmt(row.p50)} | ${fmt(row.p99)} | ${row.failures}${row.codes.length ? ` (${row.codes.join(', ')})` : ''} | ${fmt(row.rss)} | ${fmt(row.baseline.reqPerSec)} (${row.baselineId}) | ${fmt(row.ratio, 2)} | ≥ ${row.target}, p99 < ${P99_TARGET_MS} ms, 0 errors | ${misses.length ? `no: ${misses.join('; ')}` : 'yes'} | ${fmt(row.xactsPerRequest, 1)} | ${cpu(row)} |`,
    );
  }
  return lines.join('\n');
}

function roundTable(rows, firstRound) {
  const lines = [
    '| case | req/s | p50 ms | p99 ms | non-2xx+errors | RSS MB after | ratio to the round-1 baseline | DB xacts/req | CPU % server/client |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const row of rows) {
    const baseline = firstRound.find((r) => r.id === row.id)?.baseline;
    lines.push(`| ${row.title} | ${fmt(row.reqPerSec)} | ${fmt(row.p50)} | ${fmt(row.p99)} | ${row.failures} | ${fmt(row.rss)} | ${fmt(baseline ? row.reqPerSec / baseline.reqPerSec : NaN, 2)} | ${fmt(row.xactsPerRequest, 1)} | ${cpu(row)} |`);
  }
  return lines.join('\n');
}

function baselineTable(rows) {
  const lines = [
    '| Tessera case | baseline | measured | req/s | p50 ms | p99 ms | non-2xx+errors | CPU % server/client |',
    '| --- | --- | --- | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const row of rows) {
    for (const [when, b] of [['before', row.baseline.before], ['after', row.baseline.after]]) {
      lines.push(`| ${row.title} | ${row.baselineId} | ${when} | ${fmt(b.reqPerSec)} | ${fmt(b.p50)} | ${fmt(b.p99)} | ${b.failures} | ${cpu(b)} |`);
    }
  }
  return lines.join('\n');
}

function memorySummary(memory) {
  const { afterSeed, rounds, peak } = memory;
  const lastRound = rounds[rounds.length - 1];
  const checks = [];
  // The stricter of the two samples: RSS as the run left it, before the bench asked for a GC.
  const rssOk = lastRound.unsettled < RSS_TARGET_MB;
  checks.push({ ok: rssOk, text: `RSS after the run ${fmt(lastRound.unsettled)} MB ${rssOk ? '<' : '≥'} ${RSS_TARGET_MB} MB` });
  if (rounds.length >= 2) {
    const growth = rounds[rounds.length - 1].rss - rounds[rounds.length - 2].rss;
    const growthOk = growth <= settings.rssGrowthMb;
    checks.push({ ok: growthOk, text: `growth from round ${rounds.length - 1} to round ${rounds.length}, after a full GC: ${growth >= 0 ? '+' : ''}${fmt(growth, 1)} MB (tolerance ${settings.rssGrowthMb} MB)` });
  }
  const lines = [
    'Sampled after a full GC (the bench turns on the inspector of the server with SIGUSR1 and asks for `HeapProfiler.collectGarbage`, then waits 2 s), so two samples compare what the process retains, not how much garbage it had yet to collect; the figure in brackets is RSS right after the round\'s last case, before that GC.',
    '',
    `- after start-up and seeding: ${fmt(afterSeed)} MB`,
  ];
  rounds.forEach((round, i) => lines.push(`- after round ${i + 1}: ${fmt(round.rss)} MB (${fmt(round.unsettled)} MB before the GC)`));
  lines.push(`- peak (VmHWM) during the run: ${fmt(peak)} MB`);
  for (const check of checks) lines.push(`- ${check.ok ? 'met' : 'missed'}: ${check.text}`);
  return { text: lines.join('\n'), checks };
}

function report({ rows, rounds, memory, machine, tessera, startedAt, finishedAt }) {
  const memorySection = memorySummary(memory);
  const misses = [];
  for (const row of rows) for (const miss of evaluate(row)) misses.push(`${row.id}: ${miss}`);
  for (const check of memorySection.checks) if (!check.ok) misses.push(`memory: ${check.text}`);
  const verdict = misses.length === 0 ? `**All targets met** (${rows.length} cases, memory).` : `**Targets missed (${misses.length}):** ${misses.join('; ')}.`;
  const serverEnv = [
    'NODE_ENV=production',
    'HOST=127.0.0.1',
    'LOG_LEVEL=warn',
    'METRICS_ENABLED=false',
    'DOCS_ENABLED=false',
    `RATE_LIMIT_*=${HUGE_LIMIT}`,
    'DATABASE_URL=<fresh database>',
    ...tessera.passed,
  ];
  const sections = [
    '# Tessera benchmark results',
    '',
    `Written by \`npm run bench\` (bench/run.js), ${finishedAt.toISOString()} (run took ${Math.round((finishedAt - startedAt) / 1000)} s).`,
    '',
    `Verdict: ${verdict}`,
    '',
    `## Round 1: Tessera against the baselines`,
    '',
    'Each baseline is a bare `node:http` server in `bench/baselines/` doing the same cryptography and parsing without a',
    'framework or database. It is measured right before and right after the Tessera case it is compared with, with the same',
    'settings; "baseline req/s" is the mean of the two (the speed of a shared host drifts over minutes).',
    `ratio = Tessera req/s ÷ baseline req/s. Targets: the ratio, p99 < ${P99_TARGET_MS} ms, zero non-2xx.`,
    '',
    mainTable(rows),
    '',
    'Baselines:',
    '',
    baselineTable(rows),
    '',
    ...rounds.slice(1).flatMap((round, i) => [`## Round ${i + 2}: Tessera again (same process)`, '', roundTable(round, rows), '']),
    '## Memory (Tessera process RSS, /proc/<pid>/status)',
    '',
    memorySection.text,
    '',
    '## Setup',
    '',
    `- machine: ${machine.os}; CPUs ${machine.cpus}; memory ${machine.memory}; load average at the end ${machine.loadavg}`,
    `- Node ${machine.node}, PostgreSQL ${machine.postgres}, Tessera ${machine.tessera}, autocannon ${machine.autocannon}`,
    `- autocannon: ${settings.connections} connections, pipelining 1, ${settings.warmup} s warm-up then ${settings.duration} s measured per case and per baseline; req/s is autocannon's average of per-second samples`,
    '- the load generator (autocannon) runs inside the bench/run.js process on the same machine, so it competes with the server for the CPUs (one Tessera process; on a 2-core machine the client takes a large share of one core)',
    `- Tessera: \`node ${[...NODE_FLAGS, 'dist/src/main.js'].join(' ')}\` (as \`npm run start:prod\`; the baselines run with the same flags) on a fresh PostgreSQL database, ${serverEnv.join(', ')}`,
    '- CPU % server/client: CPU time of the server process and of this process (the load generator) during the measured run, in % of one core (100 = one core busy)',
    '- DB xacts/req: PostgreSQL transactions (xact_commit + xact_rollback of the bench database; every statement outside a transaction counts as one) during the measured run ÷ requests; approximate, PostgreSQL publishes the counters about once a second',
    `- seed: 1 builtin workspace, ${settings.tenants} tenants each with a dashboard, ${settings.callers} distinct admin caller JWTs (HS256)`,
    '- validate: one dashboard token with an rcls rule, the same token every request; iframe-token: one tenant, caller JWT rotated per request; tokens: dashboard token with `rcls` (region in EU, US), rotating over the dashboards; dashboard read: one admin caller, rotating over the tenants',
    '- validate baseline: verifies the same token with the public key from /.well-known/jwks.json (ES256, prepared KeyObject), exp/nbf/aud/iss, revocation Set/Map lookups, the envelope with all claims; it checks the signature on every request, where Tessera remembers tokens whose signature checked out (bounded LRU, up to their expiry; revocation is still checked every time), which is why the validate ratio can exceed 1',
    '- issuance baseline: verifies the rotating HS256 caller JWTs (createHmac with a prepared KeyObject, timingSafeEqual), validates the iframe-token body plus rcls by hand, signs an ES256 token with Tessera\'s claim set (ieee-p1363), the envelope; it serves as reference for the iframe-token, Tokens API and dashboard-read cases',
    '',
  ];
  return sections.join('\n');
}

// ---------------------------------------------------------------------------------------------
// Main

async function main() {
  const startedAt = new Date();
  const cases = settings.cases.length ? CASES.filter((c) => settings.cases.includes(c.id)) : CASES;
  const unknown = settings.cases.filter((id) => !CASES.some((c) => c.id === id));
  if (unknown.length || cases.length === 0) throw new Error(`BENCH_CASES: unknown case(s) ${unknown.join(', ')}; known: ${CASES.map((c) => c.id).join(', ')}`);

  const db = await createDatabase();
  log(`created database ${db.name} (PostgreSQL ${db.version})`);
  const tessera = await startTessera(db.url);
  statsClient = new Client({ connectionString: db.url });
  await statsClient.connect();
  const seeded = await seed(tessera);
  const pid = tessera.child.proc.pid;
  // Sampled the same way as after each round, so both rounds run with the inspector listening.
  const memory = { afterSeed: (await settledMemory(tessera)).rss, rounds: [], peak: NaN };

  const rows = [];
  const rounds = [];
  for (let round = 1; round <= settings.rounds; round++) {
    const roundRows = [];
    for (const c of cases) {
      // Round 1 brackets each Tessera case with its baseline, measured right before and right
      // after: the machine's speed drifts (shared host), and the mean of the two cancels a trend.
      const before = round === 1 ? await measureBaseline(c, 'before', tessera, seeded) : undefined;
      const measured = await drive(tessera.base, tesseraRequests(c.id, seeded), c.title, { pid, countTransactions: true });
      if (tessera.child.exited) throw new Error(`Tessera exited during ${c.id}:\n${tessera.child.output.slice(-30).join('\n')}`);
      const rss = memoryOf(pid).rss;
      const row = { ...c, ...measured, rss, round };
      log(`round ${round} ${c.id}: ${fmt(measured.reqPerSec)} req/s, p50 ${fmt(measured.p50)} ms, p99 ${fmt(measured.p99)} ms, ${measured.failures} failures${measured.codes.length ? ` (${measured.codes.join(', ')})` : ''}, CPU ${cpu(measured)} %, RSS ${fmt(rss)} MB`);
      if (round === 1) {
        const after = await measureBaseline(c, 'after', tessera, seeded);
        row.baselineId = c.baseline;
        row.baseline = { reqPerSec: (before.reqPerSec + after.reqPerSec) / 2, before, after };
        row.ratio = measured.reqPerSec / row.baseline.reqPerSec;
        rows.push(row);
      }
      roundRows.push(row);
    }
    rounds.push(roundRows);
    const unsettled = memoryOf(pid);
    memory.rounds.push({ ...(await settledMemory(tessera)), unsettled: unsettled.rss });
  }
  memory.peak = memoryOf(pid).hwm;

  const finishedAt = new Date();
  const markdown = report({ rows, rounds, memory, machine: machineInfo(db.version), tessera, startedAt, finishedAt });
  fs.writeFileSync(settings.results, markdown);
  process.stdout.write(`\n${mainTable(rows)}\n\n${memorySummary(memory).text}\n\n`);
  const shown = path.relative(process.cwd(), settings.results);
  log(`wrote ${shown && !shown.startsWith('..') ? shown : settings.results}`);
  if (tessera.child.output.length) log(`server output (last lines):\n${tessera.child.output.slice(-10).join('\n')}`);

  const broken = rounds.flat().filter((row) => row.errorRate > MAX_ERROR_RATE);
  const brokenBaselines = rows.filter((row) => row.baseline.before.errorRate > MAX_ERROR_RATE || row.baseline.after.errorRate > MAX_ERROR_RATE);
  if (broken.length || brokenBaselines.length) {
    for (const row of broken) process.stderr.write(`[bench] round ${row.round} ${row.id}: ${(row.errorRate * 100).toFixed(2)}% errors (${row.codes.join(', ') || `${row.errors} socket errors`})\n`);
    for (const row of brokenBaselines) {
      const rate = Math.max(row.baseline.before.errorRate, row.baseline.after.errorRate);
      process.stderr.write(`[bench] ${row.baselineId} baseline around ${row.id}: ${(rate * 100).toFixed(2)}% errors\n`);
    }
    return 1;
  }
  return 0;
}

main()
  .then(async (code) => {
    await cleanup();
    process.exit(code);
  })
  .catch(async (error) => {
    // Our own failures are plain Errors with a clear message; anything else gets its stack.
    const plain = error instanceof Error && error.constructor === Error;
    process.stderr.write(`[bench] failed: ${plain ? error.message : (error && error.stack) || error}\n`);
    await cleanup();
    process.exit(1);
  });
