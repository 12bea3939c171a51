import { expectEventually } from '@watchfloor/testing';
import { reportedEvent } from './events';
import { json, startTriage, type TriageUnderTest } from './harness';

/** One server-sent event as the test reads it. */
interface ServerEvent {
  type: string;
  data: Record<string, unknown>;
}

/** An open `GET /v1/queue/events`, its events collected as they arrive. */
interface OpenStream {
  status: number;
  headers: Headers;
  events: ServerEvent[];
  /** The first event (after those already seen, when `after` is given) that `matches`, waiting for it. */
  next(matches: (event: ServerEvent) => boolean): Promise<ServerEvent>;
  close(): void;
}

async function openStream(triage: TriageUnderTest, token: string, query = ''): Promise<OpenStream> {
  const abort = new AbortController();
  const response = await fetch(`${triage.url}/v1/queue/events${query}`, { headers: { authorization: `Bearer ${token}` }, signal: abort.signal });
  const events: ServerEvent[] = [];
  if (response.ok && response.body) {
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    void (async () => {
      let buffer = '';
      for (;;) {
        const chunk = await reader.read().catch(() => ({ done: true, value: undefined }));
        if (chunk.done) return;
        buffer += chunk.value;
        for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const type = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (type && data) events.push({ type, data: JSON.parse(data) as Record<string, unknown> });
        }
      }
    })();
  }
  return {
    status: response.status,
    headers: response.headers,
    events,
    next: (matches) =>
      expectEventually(() => {
        const found = events.find(matches);
        if (!found) throw new Error(`no such event yet; got ${JSON.stringify(events.map((e) => [e.type, e.data['id'], e.data['status']]))}`);
        return found;
      }, { timeoutMs: 15_000, intervalMs: 25 }),
    close: () => abort.abort(),
  };
}

describe('GET /v1/queue/events (the live queue)', () => {
  let triage: TriageUnderTest;
  let token: string;
  const streams: OpenStream[] = [];
  const open = async (query = '', as = token) => {
    const stream = await openStream(triage, as, query);
    streams.push(stream);
    return stream;
  };

  beforeAll(async () => {
    triage = await startTriage();
    token = await triage.token({ role: 'triage', sub: 'officer-ana' });
  });
  afterEach(() => {
    for (const stream of streams.splice(0)) stream.close();
  });
  afterAll(async () => {
    await triage?.close();
  });

  it('is for triage staff, checked like the queue: 401 without a token, 403 for an official, 400 naming a bad filter', async () => {
    expect((await fetch(`${triage.url}/v1/queue/events`)).status).toBe(401);
    expect((await open('', await triage.token({ role: 'official' }))).status).toBe(403);
    const bad = await fetch(`${triage.url}/v1/queue/events?priority=urgent&cursor=x`, { headers: { authorization: `Bearer ${token}` } });
    expect(bad.status).toBe(400);
    const problem = await json<{ code: string; errors: Array<{ field: string }> }>(bad);
    expect(problem.code).toBe('REQUEST.VALIDATION');
    expect(problem.errors.map((e) => e.field).sort()).toEqual(['cursor', 'priority']);
  });

  it('says ready, then sends each change of an incident in the queue as its queue item, and "left" when it leaves', async () => {
    const stream = await open();
    expect(stream.status).toBe(200);
    expect(stream.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(stream.headers.get('x-accel-buffering')).toBe('no');
    await stream.next((e) => e.type === 'ready');

    const reported = reportedEvent({ category: 'phishing' });
    const id = reported.data.incidentId;
    await triage.publish(reported);
    const joined = await stream.next((e) => e.type === 'incident' && e.data['id'] === id);
    expect(joined.data).toMatchObject({ id, version: 1, status: 'new', category: 'phishing', reference: reported.data.reference });

    const acknowledged = await triage.request('POST', `/v1/incidents/${id}/acknowledge`, { token });
    expect(acknowledged.status).toBe(200);
    await stream.next((e) => e.type === 'incident' && e.data['id'] === id && e.data['status'] === 'acknowledged');

    const resolved = await triage.request('POST', `/v1/incidents/${id}/status`, { token, body: { to: 'resolved', resolution: 'benign' } });
    expect(resolved.status).toBe(200);
    await stream.next((e) => e.type === 'left' && e.data['id'] === id);
  });

  it('filters like GET /v1/queue: a stream for Pennsylvania gets no Georgia incident', async () => {
    const pennsylvania = await open('?jurisdiction=ocd-division/country:us/state:pa');
    const everything = await open();
    await Promise.all([pennsylvania.next((e) => e.type === 'ready'), everything.next((e) => e.type === 'ready')]);

    const georgia = reportedEvent({ jurisdiction: 'ocd-division/country:us/state:ga/county:fulton' });
    const pa = reportedEvent({ jurisdiction: 'ocd-division/country:us/state:pa/county:erie' });
    await triage.publish(georgia);
    await triage.publish(pa);
    await everything.next((e) => e.type === 'incident' && e.data['id'] === georgia.data.incidentId);
    await pennsylvania.next((e) => e.type === 'incident' && e.data['id'] === pa.data.incidentId);
    await everything.next((e) => e.type === 'incident' && e.data['id'] === pa.data.incidentId);
    expect(pennsylvania.events.filter((e) => e.type === 'incident' && e.data['id'] === georgia.data.incidentId)).toEqual([]);
  });

  it('a client that leaves is let go: the next change still reaches the streams that stay', async () => {
    const leaving = await open();
    const staying = await open();
    await Promise.all([leaving.next((e) => e.type === 'ready'), staying.next((e) => e.type === 'ready')]);
    leaving.close();
    const reported = reportedEvent();
    await triage.publish(reported);
    await staying.next((e) => e.type === 'incident' && e.data['id'] === reported.data.incidentId);
  });
});
