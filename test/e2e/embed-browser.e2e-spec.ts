import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Browser, Frame, Page } from 'playwright-core';
import request from 'supertest';
import { bearer, callerToken } from '../support/caller-tokens';
import { chromiumAvailable, launchChromium } from '../support/browser';
import { createWorkspace } from '../support/fixtures';
import { freePort, resetDatabase, startTestApp, TestApp } from '../support/test-app';

const ARTIFACTS = join(__dirname, '..', '..', 'test-results');
const describeInBrowser = chromiumAvailable() ? describe : describe.skip;

/**
 * The whole loop in a real browser: the example host page gets an iframe token with a caller
 * token, embeds the dashboard with embed.js, and answers the page's silent refresh requests.
 * Tessera answers on 127.0.0.1 (PUBLIC_URL, and the tenant's allowed origin) and on localhost,
 * which is another origin that the tenant does not allow.
 */
describeInBrowser('embed page in Chromium', () => {
  let t: TestApp;
  let browser: Browser;
  let port: number;
  let callerJwt: string;
  let dashboardId: string;

  beforeAll(async () => {
    port = await freePort();
    t = await startTestApp({ PUBLIC_URL: `http://127.0.0.1:${port}` }, { port });
    browser = await launchChromium();
    mkdirSync(ARTIFACTS, { recursive: true });
    callerJwt = await callerToken({ org: 'acme', role: 'admin' });
    const admin = bearer(callerJwt);
    await resetDatabase(t.dataSource);
    await createWorkspace(t.url, admin, { id: 'ws', name: 'B', provider: 'builtin' });
    await request(t.url).post('/api/v1/tenants').set(admin).send({ id: 'org-123', name: 'Acme Customer', allowed_origins: [`http://127.0.0.1:${port}`] }).expect(201);
    dashboardId = (await request(t.url).post('/api/v1/dashboards').set(admin).send({ tenant_id: 'org-123', workspace_id: 'ws', name: 'Quarterly Sales', description: 'Revenue by region' }).expect(201)).body.data.dashboard_id;
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  async function openHost(origin: string, lifetimeSeconds: number, newPage: () => Promise<Page> = () => browser.newPage()): Promise<Page> {
    const page = await newPage();
    await page.goto(`${origin}/examples/host`);
    await page.fill('#callerToken', callerJwt);
    await page.fill('#tenantId', 'org-123');
    await page.fill('#workspaceId', 'ws');
    await page.fill('#dashboardId', dashboardId);
    await page.fill('#lifetime', String(lifetimeSeconds));
    await page.click('#embed');
    await page.waitForSelector('iframe.tessera-dashboard');
    return page;
  }

  async function dashboardFrame(page: Page): Promise<Frame> {
    const handle = await page.waitForSelector('iframe.tessera-dashboard');
    const frame = await handle.contentFrame();
    if (!frame) throw new Error('no frame');
    return frame;
  }

  const embeddedToken = async (page: Page): Promise<string> =>
    new URL((await page.getAttribute('iframe.tessera-dashboard', 'src'))!).searchParams.get('embedded-token')!;

  it('should show the dashboard title inside the iframe of the example host page', async () => {
    const page = await openHost(`http://127.0.0.1:${port}`, 3600);
    const frame = await dashboardFrame(page);
    await frame.waitForSelector('#title');
    expect(await frame.textContent('#title')).toBe('Quarterly Sales');
    expect(await frame.textContent('.tenant')).toContain('Acme Customer');
    await page.screenshot({ path: join(ARTIFACTS, 'embed-host.png'), fullPage: true });
    await page.close();
  });

  it('should refresh the token silently before it expires, without reloading', async () => {
    const page = await openHost(`http://127.0.0.1:${port}`, 6);
    const frame = await dashboardFrame(page);
    await frame.waitForSelector('#title');
    await frame.waitForSelector('body[data-refreshes="1"]', { timeout: 15_000 });
    expect(await frame.getAttribute('body', 'data-state')).toBe('refreshed');
    expect(Number(await page.getAttribute('#host-state', 'data-tokens'))).toBeGreaterThanOrEqual(2);
    await page.close();
  });

  it('should stop a token revoked while the page is open at the next refresh', async () => {
    const page = await openHost(`http://127.0.0.1:${port}`, 6);
    const frame = await dashboardFrame(page);
    await frame.waitForSelector('#title');
    await request(t.url).post('/api/v1/tokens/invalidate').set('Authorization', `Bearer ${await embeddedToken(page)}`).expect(200);
    await frame.waitForSelector('body[data-state="error"][data-code="INVALID_TOKEN"]', { timeout: 15_000 });
    expect(await frame.isVisible('#security')).toBe(false);
    await page.close();
  });

  it('should show the expired state when the token runs out with no host to refresh it', async () => {
    const token = (await request(t.url).post('/api/v1/dashboards/iframe-token').set(bearer(callerJwt)).send({ tenant_id: 'org-123', workspace_id: 'ws', dashboard_id: dashboardId, valid_until: Math.floor(Date.now() / 1000) + 3 }).expect(200)).body.data;
    const page = await browser.newPage();
    await page.goto(token.embed_url);
    await page.waitForSelector('#title');
    // The page took the token out of its own URL.
    expect(page.url()).not.toContain('embedded-token');
    await page.waitForSelector('body[data-state="expired"]', { timeout: 10_000 });
    expect(await page.textContent('#status')).toContain('expired');
    // Reloading the expired URL is refused by the server (once past its 5 s clock-skew allowance).
    await page.waitForTimeout(5_500);
    const response = await page.goto(token.embed_url);
    expect(response?.status()).toBe(401);
    expect(await page.getAttribute('body', 'data-code')).toBe('TOKEN_EXPIRED');
    await page.close();
  });

  it('should ignore a token sent from another origin, and take one from its host', async () => {
    // Tessera's pages send Cross-Origin-Opener-Policy, which would cut the popup off from its
    // opener; an integrator's host page need not, so this context drops that header.
    const context = await browser.newContext();
    await context.route('**/*', async (route) => {
      const response = await route.fetch();
      const headers = { ...response.headers() };
      delete headers['cross-origin-opener-policy'];
      await route.fulfill({ response, headers });
    });
    const page = await openHost(`http://127.0.0.1:${port}`, 3600, () => context.newPage());
    const frame = await dashboardFrame(page);
    await frame.waitForSelector('#title');
    const fresh = (await request(t.url).post('/api/v1/dashboards/iframe-token').set(bearer(callerJwt)).send({ tenant_id: 'org-123', workspace_id: 'ws', dashboard_id: dashboardId }).expect(200)).body.data.token;

    // A window on another origin (localhost) that holds a reference to the page posts a valid token.
    // (Browser-side code is passed as strings: the test project has no DOM types.)
    const [popup] = await Promise.all([page.waitForEvent('popup'), page.evaluate(`void window.open(${JSON.stringify(`http://localhost:${port}/health/live`)})`)]);
    await popup.waitForLoadState();
    await popup.evaluate(`window.opener.frames[0].postMessage({ type: 'tessera:token', token: ${JSON.stringify(fresh)} }, '*')`);
    await page.waitForTimeout(1_000);
    expect(await frame.getAttribute('body', 'data-refreshes')).toBe('0');

    // The same message from the host page itself (the parent, an allowed origin) is taken.
    await page.evaluate(`document.querySelector('iframe').contentWindow.postMessage({ type: 'tessera:token', token: ${JSON.stringify(fresh)} }, '*')`);
    await frame.waitForSelector('body[data-refreshes="1"]', { timeout: 5_000 });
    await context.close();
  });

  it('should not let a host origin outside the tenant allowed origins frame the page', async () => {
    const blocked = await openHost(`http://localhost:${port}`, 3600);
    await blocked.waitForTimeout(1_500);
    const frame = await dashboardFrame(blocked);
    // The browser refuses to render it: no dashboard content in the frame.
    expect(frame.url()).not.toContain('/embedded/dashboard');
    expect(await frame.$('#title')).toBeNull();
    await blocked.screenshot({ path: join(ARTIFACTS, 'embed-blocked.png') });
    await blocked.close();

    const allowed = await openHost(`http://127.0.0.1:${port}`, 3600);
    expect(await (await dashboardFrame(allowed)).waitForSelector('#title')).toBeTruthy();
    await allowed.close();
  });
});
