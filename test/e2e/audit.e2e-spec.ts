import request from 'supertest';
import { AuditService } from '../../src/audit/audit.service';
import { bearer, callerToken } from '../support/caller-tokens';
import { resetDatabase, startTestApp, TestApp } from '../support/test-app';

describe('audit', () => {
  let t: TestApp;
  let audit: AuditService;
  let admin: Record<string, string>;
  let otherAdmin: Record<string, string>;
  let member: Record<string, string>;

  beforeAll(async () => {
    t = await startTestApp();
    audit = t.app.get(AuditService);
    admin = bearer(await callerToken({ org: 'acme', role: 'admin' }));
    otherAdmin = bearer(await callerToken({ org: 'globex', role: 'admin' }));
    member = bearer(await callerToken({ org: 'acme', role: 'member', tenants: ['t-1'] }));
  });
  beforeEach(async () => {
    // Nothing from an earlier test may land after the truncation.
    await audit.flush();
    await resetDatabase(t.dataSource);
  });
  afterAll(() => t.close());

  const list = (headers: Record<string, string>, query = '') => request(t.url).get(`/api/v1/audit-events${query}`).set(headers);
  const rowCount = async (): Promise<number> => (await t.dataSource.query(`SELECT count(*)::int AS count FROM audit_events`))[0].count;
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  it('should return an event just recorded, with every field, when an admin lists them', async () => {
    audit.record({
      organizationId: 'acme',
      action: 'token.issued',
      actor: 'project-secret',
      tenantId: 't-1',
      workspaceId: 'ws-1',
      dashboardId: 'dash-1',
      endUserId: 'eu-1',
      jti: 'jti-1',
      detail: { type: 'project', expiresIn: 1800 },
    });
    const res = await list(admin).expect(200);
    expect(res.body).toEqual({
      success: true,
      total: 1,
      data: [
        {
          id: expect.stringMatching(/^[0-9a-f-]{36}$/),
          action: 'token.issued',
          actor: 'project-secret',
          tenant_id: 't-1',
          workspace_id: 'ws-1',
          dashboard_id: 'dash-1',
          end_user_id: 'eu-1',
          jti: 'jti-1',
          detail: { type: 'project', expiresIn: 1800 },
          created_at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
        },
      ],
    });
  });

  it('should write recorded events on its own within the flush interval', async () => {
    audit.record({ organizationId: 'acme', action: 'token.revoked' });
    for (let i = 0; i < 40 && (await rowCount()) === 0; i += 1) await sleep(50);
    expect(await rowCount()).toBe(1);
  });

  it('should filter by tenant_id and since, cap with limit, newest first, total counting every match', async () => {
    for (let i = 0; i < 5; i += 1) audit.record({ organizationId: 'acme', action: `old.${i}`, tenantId: i % 2 ? 't-1' : 't-2' });
    await audit.flush();
    await sleep(20);
    const since = new Date().toISOString();
    await sleep(20);
    for (let i = 0; i < 4; i += 1) {
      audit.record({ organizationId: 'acme', action: `new.${i}`, tenantId: i % 2 ? 't-1' : 't-2' });
      await sleep(2);
    }

    const all = await list(admin).expect(200);
    expect(all.body.total).toBe(9);
    expect(all.body.data.slice(0, 4).map((e: { action: string }) => e.action)).toEqual(['new.3', 'new.2', 'new.1', 'new.0']);

    const tenant = await list(admin, '?tenant_id=t-1').expect(200);
    expect(tenant.body.total).toBe(4);
    expect(tenant.body.data.every((e: { tenant_id: string }) => e.tenant_id === 't-1')).toBe(true);

    const recent = await list(admin, `?since=${encodeURIComponent(since)}`).expect(200);
    expect(recent.body.data.map((e: { action: string }) => e.action)).toEqual(['new.3', 'new.2', 'new.1', 'new.0']);

    const both = await list(admin, `?since=${encodeURIComponent(since)}&tenant_id=t-2&limit=1`).expect(200);
    expect(both.body.total).toBe(2);
    expect(both.body.data.map((e: { action: string }) => e.action)).toEqual(['new.2']);

    const offset = since.replace('Z', '+00:00');
    expect((await list(admin, `?since=${encodeURIComponent(offset)}`).expect(200)).body.total).toBe(4);
    expect((await list(admin, '?since=2000-01-01').expect(200)).body.total).toBe(9);
    expect((await list(admin, '?limit=3').expect(200)).body).toMatchObject({ total: 9, data: expect.any(Array) });
    expect((await list(admin, '?limit=3').expect(200)).body.data).toHaveLength(3);
  });

  it('should default to 100 events a page and allow 500', async () => {
    for (let i = 0; i < 501; i += 1) audit.record({ organizationId: 'acme', action: 'token.issued' });
    expect((await list(admin).expect(200)).body.data).toHaveLength(100);
    const max = await list(admin, '?limit=500').expect(200);
    expect(max.body).toMatchObject({ total: 501 });
    expect(max.body.data).toHaveLength(500);
  });

  it('should show an organization only its own events', async () => {
    audit.record({ organizationId: 'acme', action: 'token.issued', tenantId: 't-1' });
    audit.record({ organizationId: null, action: 'token.validation_failed', detail: { code: 'INVALID_TOKEN' } });
    const theirs = await list(otherAdmin).expect(200);
    expect(theirs.body).toEqual({ success: true, data: [], total: 0 });
    expect((await list(otherAdmin, '?tenant_id=t-1').expect(200)).body.total).toBe(0);
    const mine = await list(admin).expect(200);
    expect(mine.body.data.map((e: { action: string }) => e.action)).toEqual(['token.issued']);
    expect(await rowCount()).toBe(2);
  });

  it('should refuse members with 403', async () => {
    expect((await list(member).expect(403)).body.code).toBe('FORBIDDEN');
    await list({}).expect(401);
  });

  it.each([
    '?since=yesterday',
    '?since=2025-13-01',
    '?since=2025-02-30T00:00:00Z',
    '?since=2025-01-31T12:00:00',
    '?since=1738324800',
    '?since=',
    '?limit=0',
    '?limit=501',
    '?limit=ten',
    '?tenant_id=',
    "?tenant_id=x'--",
    '?skip=-1',
    '?organization_id=acme',
  ])('should refuse the query %s with 422', async (query) => {
    const res = await list(admin, query).expect(422);
    expect(res.body.code).toBe('VALIDATION_ERROR');
  });

  it('should strip detail keys named like secrets, at any depth, before storing', async () => {
    audit.record({
      organizationId: 'acme',
      action: 'token.issued',
      detail: {
        type: 'dashboard',
        dashboardSecret: 'ds_should-never-be-stored',
        nested: { api_key: 'ak_nope', password: 'hunter2', kept: 1, list: [{ accessToken: 'eyJ.nope', ok: true }] },
        Authorization: 'Bearer nope',
      },
    });
    const res = await list(admin).expect(200);
    expect(res.body.data[0].detail).toEqual({ type: 'dashboard', nested: { kept: 1, list: [{ ok: true }] } });
    const stored = JSON.stringify(await t.dataSource.query(`SELECT * FROM audit_events`));
    for (const secret of ['ds_should-never-be-stored', 'ak_nope', 'hunter2', 'eyJ.nope', 'Bearer nope']) expect(stored).not.toContain(secret);
  });

  it('should store odd values that PostgreSQL would refuse instead of losing the batch', async () => {
    const circular: Record<string, unknown> = { name: 'loop' };
    circular.self = circular;
    audit.record({ organizationId: 'acme', action: 'odd\u0000action', actor: 'a'.repeat(2_000), detail: { text: 'nul\u0000byte', big: 10n, nan: NaN, circular } });
    audit.record({ organizationId: 'acme', action: 'token.issued' });
    const res = await list(admin).expect(200);
    expect(res.body.total).toBe(2);
    const odd = res.body.data.find((e: { action: string }) => e.action === 'oddaction');
    expect(odd.actor).toHaveLength(512);
    expect(odd.detail).toMatchObject({ text: 'nulbyte', big: '10', nan: null, circular: { name: 'loop', self: { name: 'loop' } } });
  });

  it('should write 1,000 events with a few multi-row inserts', async () => {
    for (let i = 0; i < 1_000; i += 1) audit.record({ organizationId: 'acme', action: 'token.issued', jti: `jti-${i}` });
    await audit.flush();
    // Each INSERT statement is its own transaction, so the distinct xmin values count the statements.
    const [row] = await t.dataSource.query(`SELECT count(*)::int AS events, count(DISTINCT xmin::text)::int AS statements FROM audit_events`);
    expect(row.events).toBe(1_000);
    expect(row.statements).toBeLessThanOrEqual(3);
  });

  it('should keep events through a failed write, drop the oldest beyond 10,000 with a warning, and write them later', async () => {
    await t.dataSource.query(`ALTER TABLE audit_events RENAME TO audit_events_offline`);
    try {
      for (let i = 0; i < 10_050; i += 1) audit.record({ organizationId: 'acme', action: 'token.issued', jti: `jti-${i}` });
      await audit.flush();
      const errors = t.logs.entries().filter((e) => e.msg === 'audit flush failed; will retry');
      expect(errors.length).toBeGreaterThan(0);
      expect(t.logs.entries().find((e) => e.msg === 'audit buffer full: dropped the oldest events')).toMatchObject({ level: 'warn', dropped: 50 });
      expect(t.logs.text()).not.toContain('jti-10049');
    } finally {
      await t.dataSource.query(`ALTER TABLE audit_events_offline RENAME TO audit_events`);
    }
    await audit.flush();
    const [row] = await t.dataSource.query(
      `SELECT count(*)::int AS events, count(*) FILTER (WHERE jti IN ('jti-0', 'jti-49'))::int AS oldest, count(*) FILTER (WHERE jti IN ('jti-50', 'jti-10049'))::int AS kept FROM audit_events`,
    );
    expect(row).toEqual({ events: 10_000, oldest: 0, kept: 2 });
  });

  it('should write what is still buffered when the application shuts down', async () => {
    const other = await startTestApp();
    other.app.get(AuditService).record({ organizationId: 'acme', action: 'tenant.tokens_revoked', tenantId: 't-9' });
    await other.close();
    const rows = await t.dataSource.query(`SELECT action FROM audit_events WHERE tenant_id = 't-9'`);
    expect(rows).toEqual([{ action: 'tenant.tokens_revoked' }]);
  });
});
