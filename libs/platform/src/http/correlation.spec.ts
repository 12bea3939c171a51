import { correlationIdFrom } from './correlation';

describe('correlationIdFrom', () => {
  it('keeps a plain client id', () => {
    expect(correlationIdFrom('req-42:abc.def_x')).toBe('req-42:abc.def_x');
  });

  it.each([[undefined], [''], [['a', 'b']], ['has space'], ['{"json":1}'], ['x'.repeat(129)]])(
    'makes a UUIDv7 instead of %j',
    (header) => {
      expect(correlationIdFrom(header)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    },
  );
});
