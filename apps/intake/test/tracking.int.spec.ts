import { createEvent, type EventPayloadMap, type EventType } from '@watchfloor/contracts';
import { connectJetStream, EventPublisher, type JetStreamConnection, Topology } from '@watchfloor/messaging';
import { aSubmission, expectEventually, GEORGIA } from '@watchfloor/testing';
import { type IntakeUnderTest, json, type Receipt, startIntake } from './harness';

const TRIAGE = { kind: 'user' as const, sub: 'triage-officer-1' };

describe('intake: the submitter follows triage’s progress', () => {
  let intake: IntakeUnderTest;
  let nats: JetStreamConnection;
  let publisher: EventPublisher;
  let official: string;

  beforeAll(async () => {
    intake = await startIntake();
    nats = await connectJetStream({ servers: intake.nats.url, name: 'tracking-test' });
    publisher = new EventPublisher(nats.js, new Topology(intake.nats.namespace));
    official = await intake.token({ jurisdiction: GEORGIA });
  });
  afterAll(async () => {
    await nats.close();
    await intake.close();
  });

  const newIncident = async () => json<Receipt>(intake.request('POST', '/v1/incidents', { token: official, body: aSubmission() }));

  /** Publishes a triage event about `incidentId` as triage would; resolves with the event. */
  const triage = async <K extends EventType>(type: K, incidentId: string, data: EventPayloadMap[K], time = new Date()) => {
    const event = createEvent(type, data, { source: '/watchfloor/triage', subject: incidentId, tlp: 'amber', jurisdiction: `${GEORGIA}/county:fulton`, correlationId: 'test', time });
    await publisher.publish(event);
    return event;
  };
  const triaged = (incidentId: string, version: number) =>
    triage('watchfloor.incident.triaged.v1', incidentId, {
      incidentId, version, priority: 'high', score: 62.5, model: 'nciss-notional-1', phase: 'election_day',
      breakdown: [{ factor: 'functionalImpact', input: 'significant_critical', value: 70, weight: 6, contribution: 62.5 }],
      adjustments: [], ackDeadline: new Date(Date.now() + 900_000).toISOString(),
    });
  /** Waits until intake's consumers have handled (acked) everything published so far. */
  const handledEverything = () =>
    expectEventually(async () => {
      for await (const consumer of nats.jsm.consumers.list(`${intake.nats.namespace}_INCIDENTS`)) {
        expect({ name: consumer.name, pending: consumer.num_pending + consumer.num_ack_pending }).toEqual({ name: consumer.name, pending: 0 });
      }
    });
  const status = (incidentId: string) => json<{ status: string; priority: string | null; acknowledgedAt: string | null; history: Array<{ status: string; version?: number }> }>(
    intake.request('GET', `/v1/incidents/${incidentId}`, { token: official }),
  );

  it('shows triage status, priority and acknowledgement as they happen', async () => {
    const { id } = await newIncident();
    await triaged(id, 1);
    await expectEventually(async () => expect(await status(id)).toMatchObject({ status: 'triaged', priority: 'high' }));

    const ack = await triage('watchfloor.incident.acknowledged.v1', id, { incidentId: id, version: 2, by: TRIAGE, at: new Date().toISOString(), withinDeadline: true });
    await expectEventually(async () => expect(await status(id)).toMatchObject({ status: 'acknowledged', acknowledgedAt: ack.data.at }));

    await triage('watchfloor.incident.reprioritized.v1', id, { incidentId: id, version: 3, from: 'high', to: 'severe', reason: 'Campaign across three counties', by: { kind: 'system', rule: 'campaign' } });
    await triage('watchfloor.incident.status_changed.v1', id, { incidentId: id, version: 4, from: 'acknowledged', to: 'investigating', by: TRIAGE });
    await expectEventually(async () =>
      expect(await status(id)).toMatchObject({
        status: 'investigating',
        priority: 'severe',
        history: [{ status: 'received' }, { status: 'triaged', version: 1 }, { status: 'acknowledged', version: 2 }, { status: 'investigating', version: 4 }],
      }),
    );
  });

  it('ignores stale versions and repeats, whatever order they arrive in', async () => {
    const { id } = await newIncident();
    // v3 (resolved) overtakes v1 and v2.
    await triage('watchfloor.incident.status_changed.v1', id, { incidentId: id, version: 3, from: 'acknowledged', to: 'resolved', resolution: 'false_positive', by: TRIAGE });
    await expectEventually(async () => expect(await status(id)).toMatchObject({ status: 'resolved' }));
    const late = await triage('watchfloor.incident.acknowledged.v1', id, { incidentId: id, version: 2, by: TRIAGE, at: new Date().toISOString(), withinDeadline: true });
    await triaged(id, 1);
    await expectEventually(async () => expect(await status(id)).toMatchObject({ priority: 'high', acknowledgedAt: late.data.at }));

    await publisher.publish(late); // the same event again (a redelivery or a replay)
    await triaged(id, 1); // the same change again under another event id
    await handledEverything();
    const incident = await status(id);
    expect(incident.status).toBe('resolved'); // not moved back by older versions
    expect(incident.history.map((entry) => `${entry.status}@${entry.version ?? 0}`)).toEqual(['received@0', 'triaged@1', 'acknowledged@2', 'resolved@3']);
  });
});
