import request from 'supertest';
import { DashboardsService } from '../../src/dashboards/dashboards.service';
import { PreparedQueries } from '../../src/database/prepared-queries';
import { SigningKeysService } from '../../src/signing-keys/signing-keys.service';
import { bearer, callerToken } from '../support/caller-tokens';
import { createWorkspace } from '../support/fixtures';
import { resetDatabase, startTestApp, TestApp } from '../support/test-app';

/**
 * The issuance and read lookups coalesce concurrent callers into one query (BatchedLookup). A
 * mistake there would hand one request another's row, so these tests attack exactly that: two
 * organizations with the same tenant and workspace ids, a suspended tenant, wrong secrets, all
 * in flight at once.
 */
describe('batched lookups', () => {
  let t: TestApp;
  let acme: Record<string, string>;
  let globex: Record<string, string>;
  /** org → tenant → { dashboard_id, dashboard_secret } */
  const dashboards: Record<string, Record<string, { dashboard_id: string; dashboard_secret: string }>> = { acme: {}, globex: {} };
  const TENANTS = ['t0', 't1', 't2', 't3', 't4', 't5'];

  beforeAll(async () => {
    // Limits out of the way: many requests from one caller, at once.
    t = await startTestApp({ RATE_LIMIT_IFRAME_TOKEN: '10000/60s', RATE_LIMIT_TOKEN_GENERATION: '10000/60s', RATE_LIMIT_DEFAULT: '10000/60s' });
    acme = bearer(await callerToken({ org: 'acme', role: 'admin' }));
    globex = bearer(await callerToken({ org: 'globex', role: 'admin' }));
    await resetDatabase(t.dataSource);
    await t.app.get(SigningKeysService).refresh();
    for (const [org, headers] of [
      ['acme', acme],
      ['globex', globex],
    ] as const) {
      await createWorkspace(t.url, headers, { id: 'ws', name: 'W', provider: 'builtin' });
      for (const tenant of TENANTS) {
        const res = await request(t.url).post('/api/v1/dashboards').set(headers).send({ tenant_id: tenant, workspace_id: 'ws', name: `${org} ${tenant}` }).expect(201);
        dashboards[org][tenant] = res.body.data;
      }
    }
    await request(t.url).patch('/api/v1/tenants/t5').set(acme).send({ status: 'suspended' }).expect(200);
  });
  afterAll(async () => {
    await t.close();
  });

  const claimsOf = (token: string): Record<string, unknown> => JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8'));

  it('should answer every concurrent request from its own row: iframe tokens, Tokens API, dashboard reads', async () => {
    type Check = () => Promise<void>;
    const checks: Check[] = [];
    for (const tenant of TENANTS.slice(0, 5)) {
      const mine = dashboards.acme[tenant];
      const theirs = dashboards.globex[tenant];
      checks.push(async () => {
        const res = await request(t.url).post('/api/v1/dashboards/iframe-token').set(acme).send({ tenant_id: tenant, workspace_id: 'ws', dashboard_id: mine.dashboard_id }).expect(200);
        expect(claimsOf(res.body.data.token)).toMatchObject({ org: 'acme', tenantId: tenant, dashboardId: mine.dashboard_id, projectId: 'ws' });
      });
      // Same tenant and workspace ids, another organization's dashboard: never found.
      checks.push(async () => {
        const res = await request(t.url).post('/api/v1/dashboards/iframe-token').set(acme).send({ tenant_id: tenant, workspace_id: 'ws', dashboard_id: theirs.dashboard_id }).expect(404);
        expect(res.body.code).toBe('NOT_FOUND');
      });
      checks.push(async () => {
        const res = await request(t.url).post('/api/v1/tokens').send({ dashboardId: theirs.dashboard_id, dashboardSecret: theirs.dashboard_secret }).expect(200);
        expect(claimsOf(res.body.data.accessToken)).toMatchObject({ org: 'globex', tenantId: tenant, dashboardId: theirs.dashboard_id });
      });
      // A valid secret of another dashboard unlocks nothing.
      checks.push(async () => {
        const res = await request(t.url).post('/api/v1/tokens').send({ dashboardId: theirs.dashboard_id, dashboardSecret: mine.dashboard_secret }).expect(401);
        expect(res.body.code).toBe('INVALID_CREDENTIALS');
      });
      for (const [org, headers] of [
        ['acme', acme],
        ['globex', globex],
      ] as const) {
        checks.push(async () => {
          const res = await request(t.url).get(`/api/v1/dashboards/${tenant}`).set(headers).expect(200);
          expect(res.body.data).toMatchObject({ tenant_id: tenant, dashboard_id: dashboards[org][tenant].dashboard_id, name: `${org} ${tenant}` });
        });
      }
    }
    const suspended = dashboards.acme.t5;
    checks.push(async () => {
      const res = await request(t.url).post('/api/v1/dashboards/iframe-token').set(acme).send({ tenant_id: 't5', workspace_id: 'ws', dashboard_id: suspended.dashboard_id }).expect(403);
      expect(res.body.code).toBe('FORBIDDEN');
    });
    checks.push(async () => {
      expect((await request(t.url).post('/api/v1/tokens').send({ dashboardId: suspended.dashboard_id, dashboardSecret: suspended.dashboard_secret }).expect(403)).body.code).toBe('FORBIDDEN');
    });
    checks.push(async () => {
      expect((await request(t.url).get('/api/v1/dashboards/t-none').set(acme).expect(404)).body.code).toBe('NOT_FOUND');
    });
    // Three times over, all at once, in shuffled order.
    const all = [...checks, ...checks, ...checks].sort(() => Math.random() - 0.5);
    await Promise.all(all.map((check) => check()));
  });

  it('should serve lookups made in one tick with one query, each key its own answer', async () => {
    const sql = t.app.get(PreparedQueries);
    const service = t.app.get(DashboardsService);
    const rows = jest.spyOn(sql, 'rows');
    try {
      const lookups = TENANTS.flatMap((tenant) =>
        (['acme', 'globex'] as const).map((org) =>
          service.findIframeTarget(org, tenant, 'ws', dashboards[org][tenant].dashboard_id).then(
            (target) => ({ org, tenant, dashboardId: target.dashboardId, code: undefined as string | undefined }),
            (error: { code?: string }) => ({ org, tenant, dashboardId: undefined, code: error.code }),
          ),
        ),
      );
      // A crossed key (acme's tenant with globex's dashboard) in the same batch.
      const crossed = service.findIframeTarget('acme', 't0', 'ws', dashboards.globex.t0.dashboard_id).catch((error: { code?: string }) => error.code);
      const results = await Promise.all(lookups);
      expect(await crossed).toBe('NOT_FOUND');
      for (const result of results) {
        if (result.org === 'acme' && result.tenant === 't5') expect(result.code).toBe('FORBIDDEN');
        else expect(result.dashboardId).toBe(dashboards[result.org][result.tenant].dashboard_id);
      }
      const iframeQueries = rows.mock.calls.filter(([statement]) => statement.name === 'tessera_dashboard_iframe_target');
      expect(iframeQueries).toHaveLength(1);
      expect((iframeQueries[0][1][0] as unknown[]).length).toBe(lookups.length + 1);
    } finally {
      rows.mockRestore();
    }
  });

  it('should fail every lookup of a batch when its query fails, and serve the next batch', async () => {
    const sql = t.app.get(PreparedQueries);
    const service = t.app.get(DashboardsService);
    const failure = Object.assign(new Error('Connection terminated unexpectedly'), { code: 'ECONNRESET' });
    const rows = jest.spyOn(sql, 'rows').mockRejectedValueOnce(failure);
    try {
      const failed = await Promise.allSettled(TENANTS.slice(0, 3).map((tenant) => service.findBySecretCredential(dashboards.acme[tenant].dashboard_id)));
      expect(failed.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
      const again = await service.findBySecretCredential(dashboards.acme.t0.dashboard_id);
      expect(again).toMatchObject({ organizationId: 'acme', tenantId: 't0', tenantActive: true });
    } finally {
      rows.mockRestore();
    }
  });
});
