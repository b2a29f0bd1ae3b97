import { isDashboardId, isHeaderSafe, parseRetryAfter, readDashboardId, resolvePapermapTarget } from './papermap-http';

describe('papermap http helpers', () => {
  it.each([
    ['https://api.example', 'https://api.example'],
    ['https://api.example/', 'https://api.example'],
    ['https://api.example/prefix//', 'https://api.example/prefix'],
    ['https://user:pass@api.example:8443/p?q=1#f', 'https://api.example:8443/p'],
  ])('should resolve %s to the base %s', (apiUrl, base) => {
    expect(resolvePapermapTarget(apiUrl)?.base).toBe(base);
    expect(resolvePapermapTarget(apiUrl)?.origin).toBe(new URL(apiUrl).origin);
  });

  it.each(['', 'not a url', 'ftp://api.example', 'file:///etc/passwd', 'javascript:alert(1)'])('should refuse the api_url %j', (apiUrl) => {
    expect(resolvePapermapTarget(apiUrl)).toBeNull();
  });

  it('should read Retry-After as seconds or an HTTP date, capped at a day', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('1', now)).toBe(1);
    expect(parseRetryAfter(' 120 ', now)).toBe(120);
    expect(parseRetryAfter('0', now)).toBe(0);
    expect(parseRetryAfter('99999999', now)).toBe(86_400);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:03 GMT', now)).toBe(3);
    expect(parseRetryAfter('Wed, 31 Dec 2025 00:00:00 GMT', now)).toBe(0);
    for (const bad of [undefined, null, '', '-1', '1.5', 'soon', ['1']]) expect(parseRetryAfter(bad, now)).toBeUndefined();
  });

  it('should read body.data.data.dashboard_id and nothing else', () => {
    expect(readDashboardId('{"data":{"data":{"dashboard_id":"dashboard-789","title":"x"}}}')).toBe('dashboard-789');
    expect(readDashboardId('{"data":{"dashboard_id":"d"}}')).toBeUndefined();
    expect(readDashboardId('{"data":{"data":[{"dashboard_id":"d"}]}}')).toBeUndefined();
    expect(readDashboardId('{"data":{"data":{"__proto__":{"dashboard_id":"d"}}}}')).toBeUndefined();
    expect(readDashboardId('null')).toBeUndefined();
    expect(readDashboardId('{')).toBeUndefined();
  });

  it('should accept only usable dashboard ids', () => {
    expect(isDashboardId('d'.repeat(256))).toBe(true);
    expect(isDashboardId('dash/1 é')).toBe(true);
    for (const bad of ['', 'd'.repeat(257), '.', '..', 'a\nb', 'a\u0000', 7, null]) expect(isDashboardId(bad)).toBe(false);
  });

  it('should accept only header values Node sends unchanged', () => {
    expect(isHeaderSafe('ak_123')).toBe(true);
    expect(isHeaderSafe('a b')).toBe(true);
    for (const bad of ['', ' ak', 'ak ', 'a\r\nX-Evil: 1', 'é', 'a\tb']) expect(isHeaderSafe(bad)).toBe(false);
  });
});
