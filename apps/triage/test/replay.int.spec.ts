import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { expectEventually } from '@watchfloor/testing';
import { reportedEvent, updatedEvent } from './events';
import { startTriage, type TriageUnderTest } from './harness';

describe('triage: a replay of the whole stream changes nothing', () => {
  let first: TriageUnderTest;
  let second: TriageUnderTest | undefined;

  beforeAll(async () => {
    first = await startTriage();
  });
  afterAll(async () => {
    await second?.close();
    await first.close();
  });

  it('new durable consumers redeliver every report and update from the start: no row, event or version changes', async () => {
    const shared = { type: 'domain' as const, value: 'replayed-campaign.example.com' };
    const reports = ['cobb', 'dekalb', 'fulton', 'henry'].map((county) =>
      reportedEvent({ jurisdiction: `ocd-division/country:us/state:ga/county:${county}`, observables: [shared] }),
    );
    const [firstReport] = reports;
    if (!firstReport) throw new Error('no report');
    const updates = [updatedEvent(firstReport, 2, { impacts: { functionalImpact: 'significant_critical' } }), updatedEvent(firstReport, 3, { note: 'contained' })];
    for (const event of [...reports, ...updates]) await first.publish(event);
    await first.settled(reports.length + updates.length);
    const before = await snapshot(first);
    expect(before.events).toBeGreaterThan(reports.length);

    // Stop triage, drop its durable consumers, start it again: they are re-created from the first message.
    const { db, nats } = first;
    await first.stopApp();
    const nc = await connect({ servers: nats.url });
    const jsm = await jetstreamManager(nc);
    const stream = `${nats.namespace}_INCIDENTS`;
    const consumers = await jsm.consumers.list(stream).next();
    const ours = consumers.filter((c) => c.name.includes('triage--'));
    expect(ours.map((c) => c.name).sort()).toEqual(expect.arrayContaining([expect.stringContaining('triage--incident-reported'), expect.stringContaining('triage--incident-updated')]));
    for (const consumer of ours) await jsm.consumers.delete(stream, consumer.name);

    second = await startTriage({}, { db, nats });
    await expectEventually(async () => {
      for (const consumer of ours) {
        const info = await jsm.consumers.info(stream, consumer.name);
        expect(info.delivered.stream_seq).toBeGreaterThan(0);
        expect({ pending: info.num_pending, unacked: info.num_ack_pending }).toEqual({ pending: 0, unacked: 0 });
      }
    }, { timeoutMs: 20_000, intervalMs: 100 });
    await nc.close();
    expect(await snapshot(second)).toEqual(before);
  });
});

/** What a replay must not change: incidents and their versions, clusters, the outbox, the stream. */
async function snapshot(triage: TriageUnderTest) {
  await triage.settled(0);
  const { rows: incidents } = await triage.sql.query('SELECT id, version, priority, cluster_id FROM triage.incident ORDER BY id');
  const { rows: clusters } = await triage.sql.query('SELECT id, version, campaign FROM triage.cluster ORDER BY id');
  const { rows: outbox } = await triage.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM triage.outbox');
  return { incidents, clusters, outbox: outbox[0]?.n, events: (await triage.events()).length };
}
