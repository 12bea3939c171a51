import { createEvent, type EventPayloadMap, type EventType } from '@watchfloor/contracts';
import { connectJetStream, EventPublisher, type JetStreamConnection, Topology } from '@watchfloor/messaging';
import { aSubmission, expectEventually, GEORGIA } from '@watchfloor/testing';
import { Client } from 'pg';
import { type IntakeUnderTest, json, type Receipt, startIntake } from './harness';

const MESSAGING_POOL = 2;
const BACKLOG = 2000;
const TRIAGE = { kind: 'user' as const, sub: 'triage-officer-1' };

describe('intake accepts reports while its consumers work through a backlog', () => {
  let intake: IntakeUnderTest;
  let nats: JetStreamConnection;
  let publisher: EventPublisher;
  let official: string;

  beforeAll(async () => {
    // Pools small enough that the consumers alone (four of them, two batches each) could take
    // every connection if they shared the request path's pool.
    intake = await startIntake({ INTAKE_DB_POOL_SIZE: '3', INTAKE_MESSAGING_DB_POOL_SIZE: String(MESSAGING_POOL) });
    nats = await connectJetStream({ servers: intake.nats.url, name: 'busy-pipeline-test' });
    publisher = new EventPublisher(nats.js, new Topology(intake.nats.namespace));
    official = await intake.token({ jurisdiction: GEORGIA });
  });
  afterAll(async () => {
    await nats.close();
    await intake.close();
  });

  const publish = <K extends EventType>(type: K, incidentId: string, data: EventPayloadMap[K]) =>
    publisher.publish(createEvent(type, data, { source: '/watchfloor/triage', subject: incidentId, tlp: 'amber', jurisdiction: `${GEORGIA}/county:fulton`, correlationId: 'busy-pipeline', time: new Date() }));

  /**
   * The `n`th of triage's events about `incidentId`, cycling through the four kinds intake
   * consumes. Each kind keeps one version, so repeats change nothing and stay cheap to handle.
   */
  const progress = (incidentId: string, n: number) => {
    const version = (n % 4) + 1;
    switch (version) {
      case 1:
        return publish('watchfloor.incident.triaged.v1', incidentId, {
          incidentId, version, priority: 'high', score: 62.5, model: 'nciss-notional-1', phase: 'election_day',
          breakdown: [{ factor: 'functionalImpact', input: 'significant_critical', value: 70, weight: 6, contribution: 62.5 }],
          adjustments: [], ackDeadline: new Date(Date.now() + 900_000).toISOString(),
        });
      case 2:
        return publish('watchfloor.incident.acknowledged.v1', incidentId, { incidentId, version, by: TRIAGE, at: new Date().toISOString(), withinDeadline: true });
      case 3:
        return publish('watchfloor.incident.reprioritized.v1', incidentId, { incidentId, version, from: 'high', to: 'severe', reason: 'Campaign', by: { kind: 'system', rule: 'campaign' } });
      default:
        return publish('watchfloor.incident.status_changed.v1', incidentId, { incidentId, version, from: 'acknowledged', to: 'investigating', by: TRIAGE });
    }
  };

  /** Messages intake's consumers have yet to handle (waiting, or delivered and not acked). */
  const backlog = async () => {
    let left = 0;
    for await (const consumer of nats.jsm.consumers.list(`${intake.nats.namespace}_INCIDENTS`)) {
      if (consumer.name.startsWith('intake--')) left += consumer.num_pending + consumer.num_ack_pending;
    }
    return left;
  };

  /** The pools (application names) of intake's connections waiting on a lock in this suite's database. */
  const blockedConnections = async () => {
    const { rows } = await intake.sql.query<{ application_name: string }>(
      `SELECT application_name FROM pg_stat_activity
        WHERE datname = current_database() AND application_name LIKE 'watchfloor-intake%' AND wait_event_type = 'Lock'`,
    );
    return rows.map((row) => row.application_name);
  };
  const messagingPoolHeld = Array.from({ length: MESSAGING_POOL }, () => 'watchfloor-intake-messaging');

  it('a submission gets its 201 while every consumer connection is stuck behind the backlog', async () => {
    const first = await json<Receipt>(intake.request('POST', '/v1/incidents', { token: official, body: aSubmission() }));
    await intake.counts();

    // Triage's events about `first` queue up behind a row lock, so the backlog cannot drain
    // and the consumers hold every connection of their pool while it lasts.
    const locker = new Client({ connectionString: intake.db.url });
    await locker.connect();
    let locked = true;
    try {
      await locker.query('BEGIN');
      await locker.query('SELECT 1 FROM intake.incident WHERE id = $1 FOR UPDATE', [first.id]);
      for (let start = 0; start < BACKLOG; start += 200) {
        await Promise.all(Array.from({ length: 200 }, (_, i) => progress(first.id, start + i)));
      }
      await expectEventually(async () => expect((await blockedConnections()).length).toBeGreaterThanOrEqual(MESSAGING_POOL));

      let answer: { status: number; body: Receipt } | undefined;
      const submitted = intake.request('POST', '/v1/incidents', { token: official, body: aSubmission({ title: 'Accepted while the pipeline is busy' }) })
        .then(async (response) => (answer = { status: response.status, body: (await response.json()) as Receipt }));
      const accepted = await expectEventually(() => {
        expect(answer?.status).toBe(201);
        return (answer as { body: Receipt }).body;
      });
      await submitted;

      // Still stuck: the 201 did not wait for the backlog.
      expect(await backlog()).toBeGreaterThan(0);
      expect(await blockedConnections()).toEqual(messagingPoolHeld);
      const { rows } = await intake.sql.query('SELECT reference FROM intake.incident WHERE id = $1', [accepted.id]);
      expect(rows).toEqual([{ reference: accepted.reference }]);
      // Reads use the request path's pool too.
      expect((await intake.request('GET', `/v1/incidents/${accepted.id}`, { token: official })).status).toBe(200);

      await locker.query('ROLLBACK');
      locked = false;
    } finally {
      if (locked) await locker.query('ROLLBACK');
      await locker.end();
    }

    // Once the lock goes, the backlog drains and the new report's event goes out.
    await expectEventually(async () => expect(await backlog()).toBe(0), { timeoutMs: 60_000, intervalMs: 250 });
    const status = await json<{ status: string; priority: string }>(intake.request('GET', `/v1/incidents/${first.id}`, { token: official }));
    expect(status).toMatchObject({ status: 'investigating', priority: 'severe' });
    await expectEventually(async () => {
      const { rows } = await intake.sql.query<{ unpublished: number }>('SELECT count(*) FILTER (WHERE published_at IS NULL)::int AS unpublished FROM intake.outbox');
      expect(rows).toEqual([{ unpublished: 0 }]);
    });
  });
});
