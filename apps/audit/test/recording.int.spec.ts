import { jetstreamManager } from '@nats-io/jetstream';
import { createEvent } from '@watchfloor/contracts';
import { expectEventually } from '@watchfloor/testing';
import { json, startAudit, type AuditUnderTest } from './harness';
import { anExercisePurge, anIncidentFlow, RECORDED_TYPES } from './incident-flow';

interface EntryView {
  sequence: number;
  eventId: string;
  type: string;
  subject: string;
  incidentIds: string[];
  actor: string | null;
  tlp: string;
  withheld: boolean;
  event: { id: string; type: string; data: Record<string, unknown> } | null;
  prevHash: string;
  hash: string;
}
interface Page {
  items: EntryView[];
  nextCursor: string | null;
}

describe('audit records every event of every stream exactly once', () => {
  let audit: AuditUnderTest;
  let token: string;

  beforeAll(async () => {
    audit = await startAudit({ AUDIT_CHECKPOINT_EVERY: '5' });
    token = await audit.token();
  });
  afterAll(async () => {
    await audit.close();
  });

  it('records a realistic incident flow, every type of the catalogue, in stream order, as a valid chain', async () => {
    const flow = [...anIncidentFlow(), anExercisePurge()];
    await audit.publish(flow);
    await audit.waitForEntries(flow.length);

    const page = await json<Page>(audit.request('GET', '/v1/audit/entries?limit=200', { token }));
    expect(page.items.map((entry) => entry.sequence)).toEqual(flow.map((_, i) => i + 1));
    expect(new Set(page.items.map((entry) => entry.type))).toEqual(new Set(RECORDED_TYPES));
    // One consumer per stream: each stream's events keep their publish order.
    for (const stream of ['incident.', 'notification.']) {
      const published = flow.filter((event) => event.type.startsWith(`watchfloor.${stream}`) || (stream === 'notification.' && event.type === 'watchfloor.subscription.changed.v1')).map((event) => event.id);
      expect(page.items.filter((entry) => published.includes(entry.eventId)).map((entry) => entry.eventId)).toEqual(published);
    }
    const reported = page.items.find((entry) => entry.type === 'watchfloor.incident.reported.v1');
    expect(reported).toMatchObject({ actor: 'official-7', subject: 'incident.reported.ga', incidentIds: [flow[0]?.subject], withheld: false });
    expect(reported?.event?.id).toBe(flow[0]?.id);
    expect(page.items.find((entry) => entry.type === 'watchfloor.incident.assigned.v1')?.actor).toBe('system:oncall_rotation');
    expect(page.items.find((entry) => entry.type === 'watchfloor.incident.triaged.v1')?.actor).toBe('system:triage');
    expect(page.items[0]?.prevHash).toBe('0'.repeat(64));
    for (let i = 1; i < page.items.length; i++) expect(page.items[i]?.prevHash).toBe(page.items[i - 1]?.hash);

    const verdict = await json(audit.request('GET', '/v1/audit/verify', { token }));
    expect(verdict).toMatchObject({ valid: true, entries: flow.length, head: { sequence: flow.length, hash: page.items[flow.length - 1]?.hash } });
  });

  it('drops repeats: the same events published again (outside the broker\'s duplicate window) change nothing', async () => {
    const before = await audit.entryCount();
    const flow = anIncidentFlow();
    await audit.publish(flow);
    await audit.waitForEntries(before + flow.length);
    // A re-publish with new message ids, as a replay after the duplicate window would be.
    const js = audit.connection.js;
    for (const event of flow) {
      await js.publish(audit.topology.eventSubject(event), JSON.stringify(event), { msgID: `replay-${event.id}` });
    }
    const marker = anIncidentFlow().slice(0, 1);
    await audit.publish(marker);
    await audit.waitForEntries(before + flow.length + 1);
    const { rows } = await audit.sql.query<{ n: string }>('SELECT count(DISTINCT event_id) AS n FROM audit.entry');
    expect(Number(rows[0]?.n)).toBe(before + flow.length + 1);
  });

  it('records everything again only once when the consumers replay both streams from the start', async () => {
    const before = await audit.entryCount();
    const jsm = await jetstreamManager(audit.connection.nc);
    for (const stream of ['INCIDENTS', 'NOTIFICATIONS']) {
      await jsm.consumers.delete(audit.topology.streamName(stream), `audit--${stream.toLowerCase()}`);
    }
    await audit.restart();
    const marker = anIncidentFlow().slice(0, 1);
    await audit.publish(marker);
    await audit.waitForEntries(before + 1);
    await expectEventually(async () => {
      for (const stream of ['INCIDENTS', 'NOTIFICATIONS']) {
        const info = await jsm.consumers.info(audit.topology.streamName(stream), `audit--${stream.toLowerCase()}`);
        expect(info.num_pending + info.num_ack_pending).toBe(0);
      }
    });
    expect(await audit.entryCount()).toBe(before + 1);
    const verdict = await json(audit.request('GET', '/v1/audit/verify', { token }));
    expect(verdict).toMatchObject({ valid: true, entries: before + 1 });
  });

  it('dead-letters an event that breaks the contract, and goes on', async () => {
    const before = await audit.entryCount();
    const [reported] = anIncidentFlow();
    if (!reported) throw new Error('no event');
    const broken = { ...reported, data: { ...reported.data, version: 0 } };
    await audit.connection.js.publish(audit.topology.eventSubject(reported), JSON.stringify(broken), { msgID: broken.id });
    await audit.publish(anIncidentFlow().slice(0, 1));
    await audit.waitForEntries(before + 1);
    await expectEventually(async () => {
      const { rows } = await audit.sql.query<{ event_id: string; error: string }>('SELECT event_id, error FROM audit.dead_letter');
      expect(rows).toEqual([{ event_id: broken.id, error: expect.stringContaining('data.version') }]);
    });
  });

  it('signs checkpoints and publishes them as audit.checkpoint.v1', async () => {
    const checkpoints = await json<{ publicKey: { keyId: string; base64: string }; items: Array<{ sequence: number; hash: string; signature: string; keyId: string }> }>(
      audit.request('GET', '/v1/audit/checkpoints', { token }),
    );
    expect(checkpoints.items.length).toBeGreaterThan(0);
    expect(checkpoints.items[0]?.keyId).toBe(checkpoints.publicKey.keyId);
    const jsm = await jetstreamManager(audit.connection.nc);
    await expectEventually(async () => {
      const info = await jsm.streams.info(audit.topology.streamName('AUDIT'));
      expect(info.state.messages).toBe((await audit.sql.query('SELECT 1 FROM audit.checkpoint')).rowCount);
    });
    const last = await jsm.streams.getMessage(audit.topology.streamName('AUDIT'), { last_by_subj: audit.topology.subject('audit.checkpoint.us') });
    const event = last?.json<ReturnType<typeof createEvent<'watchfloor.audit.checkpoint.v1'>>>();
    expect(event?.type).toBe('watchfloor.audit.checkpoint.v1');
    expect(checkpoints.items.map((c) => c.sequence)).toContain(event?.data.sequence);
  });
});
