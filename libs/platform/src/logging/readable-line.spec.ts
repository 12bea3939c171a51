import { readableLine } from './readable-line';

describe('readableLine', () => {
  it('shows time, level, message and the fields, without what the prefix already says', () => {
    const line = JSON.stringify({ level: 'info', time: '2026-11-03T12:00:01.250Z', pid: 7, hostname: 'h', service: 'triage', component: 'messaging', msg: 'event published', subject: 'incident.triaged.ga', eventId: '0193-aa' });
    expect(readableLine(line)).toBe('12:00:01.250 INFO  event published component=messaging subject=incident.triaged.ga eventId=0193-aa');
  });

  it('quotes values with spaces, shows an error by its message and objects as JSON', () => {
    const line = JSON.stringify({ level: 'warn', time: '2026-11-03T12:00:01.250Z', msg: 'not ready', reason: 'NATS away', err: { type: 'Error', message: 'connection refused', stack: '...' }, failures: ['nats'] });
    expect(readableLine(line)).toBe('12:00:01.250 WARN  not ready reason="NATS away" err="connection refused" failures=["nats"]');
  });

  it('colours warnings and errors for a terminal', () => {
    expect(readableLine(JSON.stringify({ level: 'error', time: '2026-11-03T12:00:01.250Z', msg: 'boom' }), { color: true })).toBe('12:00:01.250 \x1b[31mERROR\x1b[0m boom');
  });

  it('leaves lines that are not ours as they are', () => {
    expect(readableLine('intake failed to start: Error: x')).toBe('intake failed to start: Error: x');
    expect(readableLine('{"not":"a log line"}')).toBe('{"not":"a log line"}');
    expect(readableLine('{broken')).toBe('{broken');
  });
});
