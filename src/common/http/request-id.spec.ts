import { IncomingMessage } from 'node:http';
import { requestIdFor } from './request-id';

const withHeader = (value?: string | string[]): IncomingMessage => ({ headers: value === undefined ? {} : { 'x-request-id': value } }) as IncomingMessage;

describe('requestIdFor', () => {
  it('should keep a plain incoming id', () => {
    expect(requestIdFor(withHeader('trace-0123456789'))).toBe('trace-0123456789');
  });

  it.each([undefined, '', 'short', 'x'.repeat(129), 'bad id with spaces', 'line\nbreak-123456', ['a-12345678', 'b-12345678']])(
    'should replace %p with a fresh UUID',
    (value) => {
      expect(requestIdFor(withHeader(value as string))).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    },
  );
});
