import { Socket } from 'node:net';
import request from 'supertest';
import { ProbeModule } from '../support/probe.module';
import { TcpProxy } from '../support/tcp-proxy';
import { runDatabaseUrl } from '../support/test-database';
import { startTestApp, TestApp } from '../support/test-app';

describe('when the database goes away', () => {
  let proxy: TcpProxy;
  let t: TestApp;

  beforeAll(async () => {
    proxy = await TcpProxy.start(runDatabaseUrl());
    t = await startTestApp(
      { DATABASE_URL: proxy.urlFor(runDatabaseUrl()), DATABASE_CONNECT_TIMEOUT_MS: '1000' },
      { imports: [ProbeModule] },
    );
  });
  afterAll(async () => {
    await t.close();
    await proxy.stop();
  });

  it('should report not ready with 503 SERVICE_UNAVAILABLE, keep serving liveness, and recover without a restart', async () => {
    await request(t.url).get('/health/ready').expect(200);

    proxy.cut();
    const ready = await request(t.url).get('/health/ready').expect(503);
    expect(ready.body).toMatchObject({ success: false, code: 'SERVICE_UNAVAILABLE', request_id: expect.any(String) });
    const query = await request(t.url).get('/probe/db').expect(503);
    expect(query.body.code).toBe('SERVICE_UNAVAILABLE');
    expect(query.headers['retry-after']).toBe('5');
    expect(JSON.stringify(query.body)).not.toMatch(/postgres:|127\.0\.0\.1|ECONN/);
    await request(t.url).get('/health/live').expect(200);

    proxy.restore();
    await eventually(async () => {
      await request(t.url).get('/health/ready').expect(200);
    });
    await request(t.url).get('/probe/db').expect(200, { success: true, data: { one: 1 } });
  });

  it('should answer readiness within its time budget when the database hangs', async () => {
    proxy.delayMs = 10_000;
    try {
      const started = Date.now();
      await request(t.url).get('/health/ready').expect(503);
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      proxy.delayMs = 0;
      proxy.cut(); // drop the stalled connection so the pool reconnects cleanly
      proxy.restore();
    }
    await eventually(async () => {
      await request(t.url).get('/health/ready').expect(200);
    });
  });
});

describe('slow clients', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ REQUEST_TIMEOUT_MS: '1000' });
  });
  afterAll(() => t.close());

  it('should cut off a client that never finishes its request', async () => {
    const { port } = new URL(t.url);
    const socket = new Socket();
    const closed = new Promise<string>((resolve) => {
      let received = '';
      socket.on('data', (chunk) => (received += chunk.toString()));
      socket.on('close', () => resolve(received));
    });
    socket.connect(Number(port), '127.0.0.1', () => {
      socket.write('POST /health/live HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"a":');
    });
    const started = Date.now();
    const received = await closed;
    expect(Date.now() - started).toBeLessThan(8_000);
    expect(received).toMatch(/^HTTP\/1\.1 408|^$/);
  });
});

async function eventually(check: () => Promise<void>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await check();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}
