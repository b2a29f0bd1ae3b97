import { REDACTED, redactSecrets } from './redact';

describe('redactSecrets', () => {
  it('should replace secret-named fields at any depth', () => {
    const input = {
      req: { headers: { authorization: 'Bearer abc', 'x-signature': 'f00d', 'content-type': 'application/json' } },
      body: { name: 'n', secret_key: 'sk_1', nested: [{ projectSecret: 'ps_1', dashboardSecret: 'ds_1' }] },
      accessToken: 'eyJ...',
      password: 'hunter2',
      apiKey: 'k',
      databaseUrl: 'postgres://u:p@h/db',
    };
    expect(redactSecrets(input)).toEqual({
      req: { headers: { authorization: REDACTED, 'x-signature': REDACTED, 'content-type': 'application/json' } },
      body: { name: 'n', secret_key: REDACTED, nested: [{ projectSecret: REDACTED, dashboardSecret: REDACTED }] },
      accessToken: REDACTED,
      password: REDACTED,
      apiKey: REDACTED,
      databaseUrl: REDACTED,
    });
  });

  it('should not change the caller\'s object', () => {
    const input = { token: 't', keep: { a: 1 } };
    const output = redactSecrets(input);
    expect(input.token).toBe('t');
    expect(output.keep).toBe(input.keep);
  });

  it('should return objects without secrets as they are', () => {
    const input = { requestId: 'r', status: 200, path: '/health/live' };
    expect(redactSecrets(input)).toBe(input);
  });

  it('should leave errors and class instances to the serializers', () => {
    const error = new Error('x');
    expect(redactSecrets({ err: error }).err).toBe(error);
  });
});
