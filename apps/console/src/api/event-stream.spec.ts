import { parseEventStream, type ServerEvent } from './event-stream';

describe('parseEventStream', () => {
  it('reads named events, joins data lines, skips comments, and keeps an unfinished block for later', () => {
    const events: ServerEvent[] = [];
    const rest = parseEventStream('event: ready\ndata: {}\n\n: keep-alive\n\ndata: a\ndata: b\n\nevent: incident\r\ndata: {"id":', (e) => events.push(e));
    expect(events).toEqual([
      { type: 'ready', data: '{}' },
      { type: 'message', data: 'a\nb' },
    ]);
    expect(parseEventStream(`${rest}"x"}\n\n`, (e) => events.push(e))).toBe('');
    expect(events[2]).toEqual({ type: 'incident', data: '{"id":"x"}' });
  });
});
