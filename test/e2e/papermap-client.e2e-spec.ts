import { HttpModule } from '@nestjs/axios';
import { Test } from '@nestjs/testing';
import { createHmac } from 'node:crypto';
import { createServer, IncomingHttpHeaders, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { gzipSync } from 'node:zlib';
import pino from 'pino';
import { AppException } from '../../src/common/errors/app.exception';
import { LOGGER } from '../../src/common/logging/logger';
import { AppConfig } from '../../src/config/configuration';
import { CircuitBreaker, PapermapClient, PapermapProvider } from '../../src/providers/papermap';
import { UpstreamAuthFailedError, UpstreamConflictError, UpstreamError, UpstreamUnavailableError } from '../../src/providers/providers.errors';
import { WorkspaceConnection } from '../../src/workspaces/workspace-connection';
import { LogCapture } from '../support/log-capture';

const SECRET_KEY = 'sk_papermap-e2e-7Qm2vR9xT4wZ8bN1cF6hJ3kL5pS0';
const TIMEOUT_MS = 500;
/** Every X-Signature any stub server received during the file, for the final secrets check. */
const allSignatures: string[] = [];

interface SeenRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

/** A real HTTP server standing in for the provider; each test sets what it answers. */
class StubProvider {
  readonly requests: SeenRequest[] = [];
  handler: Handler = (_req, res) => res.writeHead(500).end();
  private readonly server: Server;

  constructor() {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        this.requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
        if (typeof req.headers['x-signature'] === 'string') allSignatures.push(req.headers['x-signature']);
        res.on('error', () => undefined);
        this.handler(req, res, body);
      });
    });
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return this;
  }

  get origin(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  reset(handler: Handler): void {
    this.requests.length = 0;
    this.handler = handler;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}): Handler => (_req, res) => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
};
const created = (dashboardId: string) => json(201, { data: { data: { dashboard_id: dashboardId, title: 'x' } } });

/** The signature computed here, independently of the code under test. */
const hmac = (workspaceId: string, validUntil: string) => createHmac('sha256', SECRET_KEY).update(workspaceId + validUntil).digest('hex');

describe('PapermapClient against a real HTTP server', () => {
  const logs = new LogCapture();
  const thrown: unknown[] = [];
  let provider: StubProvider;
  let elsewhere: StubProvider;
  let client: PapermapClient;
  let papermap: PapermapProvider;
  let breaker: CircuitBreaker;
  let caseNo = 0;

  /** A fresh path prefix per test, so each test has its own circuit. */
  const connection = (overrides: Partial<WorkspaceConnection> = {}): WorkspaceConnection => ({
    organizationId: 'acme',
    workspaceId: 'workspace-456',
    provider: 'papermap',
    apiUrl: `${provider.origin}/case-${caseNo}`,
    apiKeyId: 'ak_e2e',
    secretKey: SECRET_KEY,
    embedUrl: 'https://papermap.example/embedded/dashboard',
    ...overrides,
  });
  const createPath = () => `/case-${caseNo}/api/v1/external/dashboards`;
  const create = (conn = connection()) => papermap.createDashboard(conn, { title: 'Acme Analytics', description: 'For Acme' });

  /** Awaits a rejection, checks its class, and keeps it for the final secrets check. */
  async function rejection<T extends AppException>(promise: Promise<unknown>, type: new (...args: never[]) => T): Promise<T> {
    const error = await promise.then(
      () => {
        throw new Error(`expected ${type.name}, got success`);
      },
      (e: unknown) => e,
    );
    thrown.push(error);
    expect(error).toBeInstanceOf(type);
    return error as T;
  }

  beforeAll(async () => {
    provider = await new StubProvider().start();
    elsewhere = await new StubProvider().start();
    const moduleRef = await Test.createTestingModule({
      imports: [HttpModule],
      providers: [
        PapermapClient,
        PapermapProvider,
        CircuitBreaker,
        { provide: AppConfig, useValue: { papermap: { apiUrl: provider.origin, embedUrl: 'https://papermap.example/embedded/dashboard', timeoutMs: TIMEOUT_MS } } },
        // Plain pino, without the app's redaction: the client itself must keep secrets out.
        { provide: LOGGER, useValue: pino({ level: 'debug' }, logs) },
      ],
    }).compile();
    client = moduleRef.get(PapermapClient);
    papermap = moduleRef.get(PapermapProvider);
    breaker = moduleRef.get(CircuitBreaker);
  });
  beforeEach(() => {
    caseNo += 1;
    elsewhere.reset(json(200, { data: { data: { dashboard_id: 'elsewhere' } } }));
  });
  afterAll(async () => {
    await provider?.close();
    await elsewhere?.close();
  });

  it('should create a dashboard with the four signed headers and the documented body', async () => {
    provider.reset(created('dashboard-789'));
    const before = Math.floor(Date.now() / 1000);

    await expect(create()).resolves.toEqual({ dashboardId: 'dashboard-789' });

    expect(provider.requests).toHaveLength(1);
    const [req] = provider.requests;
    expect(req.method).toBe('POST');
    expect(req.url).toBe(createPath());
    expect(req.headers['content-type']).toMatch(/^application\/json/);
    expect(req.headers['x-api-key-id']).toBe('ak_e2e');
    expect(req.headers['x-workspace-id']).toBe('workspace-456');
    const validUntil = Number(req.headers['x-valid-until']);
    expect(validUntil).toBeGreaterThanOrEqual(before + 300);
    expect(validUntil).toBeLessThanOrEqual(Math.floor(Date.now() / 1000) + 300);
    expect(req.headers['x-signature']).toBe(hmac('workspace-456', String(validUntil)));
    expect(JSON.parse(req.body)).toEqual({ workspace_id: 'workspace-456', title: 'Acme Analytics', description: 'For Acme' });
  });

  it('should join the path without a double slash when api_url ends with /', async () => {
    provider.reset(created('dashboard-1'));
    await expect(create(connection({ apiUrl: `${provider.origin}/case-${caseNo}/` }))).resolves.toEqual({ dashboardId: 'dashboard-1' });
    await expect(client.createDashboard({ apiUrl: `${provider.origin}/`, apiKeyId: 'ak_e2e', secretKey: SECRET_KEY, workspaceId: 'w' }, { title: 't', description: null })).resolves.toEqual({ dashboardId: 'dashboard-1' });
    expect(provider.requests.map((r) => r.url)).toEqual([createPath(), '/api/v1/external/dashboards']);
    expect(JSON.parse(provider.requests[1].body)).toEqual({ workspace_id: 'w', title: 't', description: null });
  });

  it('should refuse without a request when credentials are missing', async () => {
    provider.reset(created('never'));
    await rejection(create(connection({ secretKey: null })), UpstreamAuthFailedError);
    await rejection(create(connection({ apiKeyId: null })), UpstreamAuthFailedError);
    await rejection(create(connection({ apiUrl: null })), UpstreamAuthFailedError);
    await rejection(create(connection({ apiKeyId: 'ak\r\nX-Injected: 1' })), UpstreamAuthFailedError);
    expect(provider.requests).toHaveLength(0);
  });

  it('should give up within the time budget and not resend a create when the provider hangs', async () => {
    provider.reset(() => undefined);
    const started = Date.now();
    const error = await rejection(create(), UpstreamError);
    expect(Date.now() - started).toBeLessThan(TIMEOUT_MS + 400);
    expect(error.reason).toBe('timeout');
    await sleep(300);
    expect(provider.requests).toHaveLength(1);
  }, 5_000);

  it('should bound the whole exchange when the provider drips its body', async () => {
    provider.reset((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const drip = setInterval(() => (res.destroyed ? clearInterval(drip) : res.write(' ')), 50);
    });
    const started = Date.now();
    const error = await rejection(create(), UpstreamError);
    expect(error.reason).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(TIMEOUT_MS + 400);
    expect(provider.requests).toHaveLength(1);
  }, 5_000);

  it('should not resend a create after a 500', async () => {
    provider.reset(json(500, { error: 'boom' }));
    await rejection(create(), UpstreamError);
    await sleep(200);
    expect(provider.requests).toHaveLength(1);
  });

  it('should not resend a create after a 503 without Retry-After', async () => {
    provider.reset(json(503, {}));
    await rejection(create(), UpstreamError);
    expect(provider.requests).toHaveLength(1);
  });

  it.each([401, 403])('should map %i to UPSTREAM_AUTH_FAILED', async (status) => {
    provider.reset(json(status, { detail: 'Invalid signature' }));
    const error = await rejection(create(), UpstreamAuthFailedError);
    expect(error).toMatchObject({ code: 'UPSTREAM_AUTH_FAILED', status: 502 });
    expect(provider.requests).toHaveLength(1);
  });

  it('should map 409 to CONFLICT', async () => {
    provider.reset(json(409, { detail: 'exists' }));
    const error = await rejection(create(), UpstreamConflictError);
    expect(error).toMatchObject({ code: 'CONFLICT', status: 409 });
  });

  it('should wait for a short Retry-After on 429 and resend with a fresh signature', async () => {
    let calls = 0;
    provider.reset((req, res, body) => {
      calls += 1;
      if (calls === 1) json(429, { detail: 'slow down' }, { 'retry-after': '1' })(req, res, body);
      else created('dashboard-after-429')(req, res, body);
    });
    const started = Date.now();

    await expect(create()).resolves.toEqual({ dashboardId: 'dashboard-after-429' });

    expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);
    expect(provider.requests).toHaveLength(2);
    const [first, second] = provider.requests;
    expect(Number(second.headers['x-valid-until'])).toBeGreaterThan(Number(first.headers['x-valid-until']));
    expect(second.headers['x-signature']).not.toBe(first.headers['x-signature']);
    for (const req of provider.requests) {
      expect(req.headers['x-signature']).toBe(hmac('workspace-456', String(req.headers['x-valid-until'])));
    }
  });

  it('should answer UPSTREAM_UNAVAILABLE with the Retry-After when it is long', async () => {
    provider.reset(json(429, {}, { 'retry-after': '120' }));
    const error = await rejection(create(), UpstreamUnavailableError);
    expect(error).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', status: 503, headers: { 'retry-after': '120' } });
    expect(provider.requests).toHaveLength(1);
  });

  it('should answer UPSTREAM_UNAVAILABLE for 503 with a long Retry-After, and for 429 without one', async () => {
    provider.reset(json(503, {}, { 'retry-after': '60' }));
    const unavailable = await rejection(create(), UpstreamUnavailableError);
    expect(unavailable.headers).toEqual({ 'retry-after': '60' });
    provider.reset(json(429, {}));
    await rejection(create(), UpstreamUnavailableError);
    expect(provider.requests).toHaveLength(1);
  });

  it.each([
    ['no dashboard_id', JSON.stringify({ data: { data: { id: 'd-1' } } })],
    ['one level of data', JSON.stringify({ data: { dashboard_id: 'd-1' } })],
    ['no nesting', JSON.stringify({ dashboard_id: 'd-1' })],
    ['an array', JSON.stringify([{ data: { data: { dashboard_id: 'd-1' } } }])],
    ['a number id', JSON.stringify({ data: { data: { dashboard_id: 42 } } })],
    ['an empty id', JSON.stringify({ data: { data: { dashboard_id: '' } } })],
    ['an id over 256 characters', JSON.stringify({ data: { data: { dashboard_id: 'd'.repeat(257) } } })],
    ['a dot-dot id', JSON.stringify({ data: { data: { dashboard_id: '..' } } })],
    ['not JSON', '<html>hello</html>'],
    ['an empty body', ''],
  ])('should map a 2xx with %s to UPSTREAM_ERROR', async (_name, body) => {
    provider.reset((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(body));
    const error = await rejection(create(), UpstreamError);
    expect(error.reason).toMatch(/malformed/);
  });

  it('should accept a dashboard id of exactly 256 characters', async () => {
    provider.reset(created('d'.repeat(256)));
    await expect(create()).resolves.toEqual({ dashboardId: 'd'.repeat(256) });
  });

  it('should stop reading a 5 MB body and answer UPSTREAM_ERROR quickly', async () => {
    const huge = JSON.stringify({ data: { data: { dashboard_id: 'd-1', padding: 'x'.repeat(5 * 1024 * 1024) } } });
    provider.reset((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(huge));
    const started = Date.now();
    const error = await rejection(create(), UpstreamError);
    expect(error.reason).toBe('response too large');
    expect(Date.now() - started).toBeLessThan(TIMEOUT_MS);
  });

  it('should count decompressed bytes against the cap (gzip bomb)', async () => {
    const bomb = gzipSync(Buffer.alloc(5 * 1024 * 1024, 0x20));
    provider.reset((_req, res) => res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' }).end(bomb));
    const error = await rejection(create(), UpstreamError);
    expect(error.reason).toBe('response too large');
  });

  it('should not follow a redirect to another server', async () => {
    provider.reset((_req, res) => res.writeHead(302, { location: `${elsewhere.origin}/api/v1/external/dashboards` }).end());
    const error = await rejection(create(), UpstreamError);
    expect(error.reason).toMatch(/redirect/);
    await sleep(100);
    expect(provider.requests).toHaveLength(1);
    expect(elsewhere.requests).toHaveLength(0);
  });

  it('should retry a refused connection with backoff, then answer UPSTREAM_ERROR', async () => {
    const closed = await new StubProvider().start();
    const deadOrigin = closed.origin;
    await closed.close();
    const linesBefore = logs.lines.length;

    const error = await rejection(create(connection({ apiUrl: deadOrigin })), UpstreamError);

    expect(error.reason).toBe('connection failed (ECONNREFUSED)');
    const attempts = logs.entries().slice(linesBefore).filter((entry) => entry.origin === deadOrigin);
    expect(attempts.map((entry) => [entry.code, entry.attempt, entry.retrying])).toEqual([
      ['ECONNREFUSED', 1, true],
      ['ECONNREFUSED', 2, true],
      ['ECONNREFUSED', 3, false],
    ]);
    expect(attempts[0]).toMatchObject({ level: 40, method: 'POST' });
  });

  it('should open the circuit after 5 failures and then refuse without calling the provider', async () => {
    provider.reset(json(500, {}));
    for (let i = 0; i < 5; i++) await rejection(create(), UpstreamError);
    expect(provider.requests).toHaveLength(5);
    expect(breaker.state(`${provider.origin}/case-${caseNo}`)).toBe('open');

    const started = Date.now();
    const error = await rejection(create(), UpstreamUnavailableError);
    expect(Date.now() - started).toBeLessThan(50);
    expect(error.reason).toBe('circuit open');
    expect(Number(error.headers?.['retry-after'])).toBeGreaterThanOrEqual(29);
    expect(Number(error.headers?.['retry-after'])).toBeLessThanOrEqual(30);
    await rejection(papermap.deleteDashboard(connection(), 'd-1'), UpstreamUnavailableError);
    expect(provider.requests).toHaveLength(5);
  });

  it.each([200, 204, 404])('should treat a delete answered %i as deleted', async (status) => {
    provider.reset((_req, res) => res.writeHead(status).end());
    await expect(papermap.deleteDashboard(connection(), 'dash/1 é')).resolves.toBeUndefined();
    expect(provider.requests).toHaveLength(1);
    const [req] = provider.requests;
    expect(req.method).toBe('DELETE');
    expect(req.url).toBe(`${createPath()}/dash%2F1%20%C3%A9`);
    expect(req.headers['x-api-key-id']).toBe('ak_e2e');
    expect(req.headers['x-workspace-id']).toBe('workspace-456');
    expect(req.headers['x-signature']).toBe(hmac('workspace-456', String(req.headers['x-valid-until'])));
  });

  it('should map a delete answered 500 to UPSTREAM_ERROR after bounded retries', async () => {
    provider.reset(json(500, {}));
    await rejection(papermap.deleteDashboard(connection(), 'd-1'), UpstreamError);
    expect(provider.requests.length).toBeGreaterThanOrEqual(1);
    expect(provider.requests.length).toBeLessThanOrEqual(3);
  });

  it('should map delete 401 and 409 like a create', async () => {
    provider.reset(json(401, {}));
    await rejection(papermap.deleteDashboard(connection(), 'd-1'), UpstreamAuthFailedError);
    provider.reset(json(409, {}));
    await rejection(papermap.deleteDashboard(connection(), 'd-1'), UpstreamConflictError);
  });

  it('should never put the secret key or a signature in a log line or an error', () => {
    expect(allSignatures.length).toBeGreaterThan(20);
    expect(thrown.length).toBeGreaterThan(20);
    expect(logs.lines.length).toBeGreaterThan(10);
    const texts = [
      logs.text(),
      ...thrown.flatMap((error) => [String(error), (error as Error).message, (error as Error).stack ?? '', JSON.stringify(error)]),
    ];
    for (const text of texts) {
      expect(text).not.toContain(SECRET_KEY);
      expect(text.toLowerCase()).not.toContain('x-signature');
      for (const signature of allSignatures) expect(text).not.toContain(signature);
    }
  });
});
