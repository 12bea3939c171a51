import type { MessageEvent } from '@nestjs/common';
import type { Caller } from '@watchfloor/platform';
import type { Logger } from 'pino';
import { Subject } from 'rxjs';
import type { IncidentChangeFeed } from './incident-change-feed';
import { incidentIdsOf } from './incident-change-feed';
import { QueueStream } from './queue-stream';
import type { QueueChanges, ReadQueueChanges } from './read-queue-changes.usecase';

const caller: Caller = { sub: 'officer-ana', name: 'Ana', roles: ['triage'], clearance: 'red' };
const item = (id: string) => ({ id }) as QueueChanges['items'][number];

function streamWith(read: (ids: readonly string[]) => Promise<QueueChanges>) {
  const batches = new Subject<string[]>();
  const warnings: unknown[] = [];
  const logger = { child: () => logger, warn: (...args: unknown[]) => warnings.push(args) } as unknown as Logger;
  const reader = { execute: (_c: Caller, _q: unknown, ids: readonly string[]) => read(ids) } as unknown as ReadQueueChanges;
  const stream = new QueueStream({ batches } as unknown as IncidentChangeFeed, reader, logger);
  return { batches, stream, warnings };
}

describe('QueueStream', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('starts with ready, sends each batch as incident and left events, keeps alive with comments, and ends at its lifetime', async () => {
    const { batches, stream } = streamWith(async (ids) => ({ items: ids.filter((id) => id !== 'b').map(item), left: ['b'] }));
    const seen: MessageEvent[] = [];
    let ended = false;
    stream.open(caller, {}, { lifetimeMs: 60_000, keepAliveMs: 20_000 }).subscribe({ next: (e) => seen.push(e), complete: () => (ended = true) });
    batches.next(['a', 'b']);
    await jest.advanceTimersByTimeAsync(20_000);
    expect(seen).toEqual([{ type: 'ready', data: {} }, { type: 'incident', data: { id: 'a' } }, { type: 'left', data: { id: 'b' } }, { comment: 'keep-alive' }]);
    await jest.advanceTimersByTimeAsync(40_000);
    expect(ended).toBe(true);
  });

  it('a failed read loses that batch, not the stream', async () => {
    const { batches, stream, warnings } = streamWith(async (ids) => {
      if (ids.includes('broken')) throw new Error('connection reset');
      return { items: ids.map(item), left: [] };
    });
    const seen: MessageEvent[] = [];
    const subscription = stream.open(caller, {}).subscribe((e) => seen.push(e));
    batches.next(['broken']);
    batches.next(['c']);
    await jest.advanceTimersByTimeAsync(0);
    expect(seen.map((e) => e.type)).toEqual(['ready', 'incident']);
    expect(warnings).toHaveLength(1);
    subscription.unsubscribe();
  });
});

describe('incidentIdsOf', () => {
  const body = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));
  const [a, b] = ['0192f0a8-6c1e-7d2a-9b3c-4d5e6f708192', '0192f0a8-6c1e-7d2a-9b3c-4d5e6f708193'];
  it('reads the incident an event is about, or a cluster\'s incidents, and nothing from a body it cannot read', () => {
    expect(incidentIdsOf(body({ data: { incidentId: a } }))).toEqual([a]);
    expect(incidentIdsOf(body({ data: { clusterId: 'k', incidentIds: [a, b, 3] } }))).toEqual([a, b]);
    expect(incidentIdsOf(new TextEncoder().encode('not json'))).toEqual([]);
  });
  it('takes only ids that can name an incident (one malformed id would fail the whole batch\'s re-read)', () => {
    expect(incidentIdsOf(body({ data: { incidentIds: [a, '-'.repeat(36), "x'; --", b.toUpperCase()] } }))).toEqual([a, b.toUpperCase()]);
  });
});
