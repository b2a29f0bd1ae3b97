import { isHttpUrl, isOrigin, RESOURCE_ID_PATTERN } from './validators';

describe('validators', () => {
  it.each(['https://app.example.com', 'http://localhost:5173', 'https://a.b.example.com:8443'])('should accept origin %s', (value) => {
    expect(isOrigin(value)).toBe(true);
  });

  it.each(['https://app.example.com/', 'https://app.example.com/path', 'app.example.com', 'javascript:alert(1)', 'https://u:p@a.com', '*', '', 42])(
    'should refuse origin %p',
    (value) => {
      expect(isOrigin(value)).toBe(false);
    },
  );

  it('should accept http(s) URLs without credentials only', () => {
    expect(isHttpUrl('http://127.0.0.1:3000')).toBe(true);
    expect(isHttpUrl('https://api.example.com/v1')).toBe(true);
    expect(isHttpUrl('https://user:pw@api.example.com')).toBe(false);
    expect(isHttpUrl('file:///etc/passwd')).toBe(false);
    expect(isHttpUrl('not a url')).toBe(false);
  });

  it('should take resource ids like org-123 and refuse anything that could be markup or SQL', () => {
    for (const ok of ['org-123', 'workspace-456', 'a', 'A.b_c:d-e']) expect(RESOURCE_ID_PATTERN.test(ok)).toBe(true);
    for (const bad of ['', '-x', 'a b', "x'--", 'x/y', '<x>', 'x'.repeat(129)]) expect(RESOURCE_ID_PATTERN.test(bad)).toBe(false);
  });
});
