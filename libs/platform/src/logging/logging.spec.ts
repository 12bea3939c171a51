import { Writable } from 'node:stream';
import { createLogger } from './create-logger';
import { PinoNestLogger } from './nest-logger';

function capture(): { lines: Record<string, unknown>[]; destination: Writable } {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      callback();
    },
  });
  return { lines, destination };
}

describe('createLogger', () => {
  it('writes JSON with service, level name and ISO time', () => {
    const { lines, destination } = capture();
    createLogger({ service: 'intake', destination }).info({ correlationId: 'c1' }, 'hello');
    expect(lines[0]).toMatchObject({ service: 'intake', level: 'info', correlationId: 'c1', msg: 'hello' });
    expect(lines[0]?.['time']).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  });

  it('redacts secrets and reporter contact data', () => {
    const { lines, destination } = capture();
    createLogger({ service: 'intake', destination }).info(
      {
        req: { headers: { authorization: 'Bearer abc.def.ghi', cookie: 'sid=1', accept: 'application/json' } },
        token: 'tok',
        config: { NATS_PASS: 'p', password: 'pw' },
        incident: { reporter: { email: 'clerk@county.gov', phone: '+14045550100', org: 'Fulton' } },
        reporter: { email: 'a@b.c' },
      },
      'redaction',
    );
    const text = JSON.stringify(lines[0]);
    for (const secret of ['abc.def.ghi', 'sid=1', '"tok"', '"p"', 'pw', 'clerk@county.gov', '+14045550100', 'a@b.c']) {
      expect(text).not.toContain(secret);
    }
    expect(text).toContain('application/json');
    expect(text).toContain('Fulton');
  });

  it('honours the level', () => {
    const { lines, destination } = capture();
    const logger = createLogger({ service: 's', level: 'warn', destination });
    logger.info('dropped');
    logger.warn('kept');
    expect(lines.map((line) => line['msg'])).toEqual(['kept']);
  });
});

describe('PinoNestLogger', () => {
  it('maps Nest levels and context to pino', () => {
    const { lines, destination } = capture();
    const nest = new PinoNestLogger(createLogger({ service: 's', level: 'trace', destination }));
    nest.log('Mapped route', 'RouterExplorer');
    nest.log('Nest application successfully started', 'NestApplication');
    nest.error('failed', 'Error: stack\n  at x', 'ExceptionsHandler');
    nest.warn({ event: 'slow' }, 'Outbox');
    nest.verbose('details');
    nest.error(new Error('boom'), 'Relay');
    expect(lines).toEqual([
      expect.objectContaining({ level: 'debug', msg: 'Mapped route', context: 'RouterExplorer' }),
      expect.objectContaining({ level: 'info', msg: 'Nest application successfully started', context: 'NestApplication' }),
      expect.objectContaining({ level: 'error', msg: 'failed', context: 'ExceptionsHandler', stack: 'Error: stack\n  at x' }),
      expect.objectContaining({ level: 'warn', event: 'slow', context: 'Outbox' }),
      expect.objectContaining({ level: 'trace', msg: 'details' }),
      expect.objectContaining({ level: 'error', msg: 'boom', context: 'Relay', err: expect.objectContaining({ message: 'boom' }) }),
    ]);
  });
});
