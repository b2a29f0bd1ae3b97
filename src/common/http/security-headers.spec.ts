import { securityHeaders } from './security-headers';

describe('securityHeaders', () => {
  it("should give helmet's headers with the API's strict CSP", () => {
    const headers = securityHeaders();
    expect(headers['content-security-policy']).toContain("default-src 'self'");
    expect(headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(headers['content-security-policy']).not.toContain('upgrade-insecure-requests');
    expect(headers).toMatchObject({
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'x-frame-options': 'SAMEORIGIN',
      'strict-transport-security': expect.stringContaining('max-age='),
    });
    expect(headers['x-powered-by']).toBeUndefined();
  });

  it('should be computed once and frozen', () => {
    expect(Object.isFrozen(securityHeaders())).toBe(true);
  });
});
