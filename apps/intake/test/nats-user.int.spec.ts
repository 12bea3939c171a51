import { createEvent } from '@watchfloor/contracts';
import { connectJetStream, EventPublisher, type JetStreamConnection, Topology } from '@watchfloor/messaging';
import { aSubmission, expectEventually, FULTON, GEORGIA, type NatsWithUsers, startNatsWithUsers } from '@watchfloor/testing';
import { type IntakeUnderTest, json, type Receipt, startIntake } from './harness';

// Intake as deployed: on a NATS server with the deployed users and permissions
// (deploy/kubernetes/base/nats), connected as its own user `intake`.
describe('intake under its own NATS user', () => {
  let nats: NatsWithUsers;
  let intake: IntakeUnderTest;
  let admin: JetStreamConnection;
  let triage: JetStreamConnection;

  beforeAll(async () => {
    nats = await startNatsWithUsers();
    const { intake: credentials, admin: adminCredentials, triage: triageCredentials } = nats.credentials;
    if (!credentials || !adminCredentials || !triageCredentials) throw new Error('nats.conf lacks a user');
    // It creates the streams itself (no namespace: the subjects of EVENTS.md, as permissions.conf names them).
    intake = await startIntake({ NATS_URL: nats.url, NATS_NAMESPACE: '', NATS_USER: credentials.user, NATS_PASS: credentials.pass });
    admin = await connectJetStream({ servers: nats.url, name: 'test-admin', ...adminCredentials });
    triage = await connectJetStream({ servers: nats.url, name: 'triage', ...triageCredentials });
  });
  afterAll(async () => {
    await triage?.close();
    await admin?.close();
    await intake?.close();
    await nats?.dispose();
  });

  it('provisions, publishes its events and consumes triage’s', async () => {
    expect((await fetch(`${intake.url}/health/ready`)).status).toBe(200);
    const official = await intake.token({ jurisdiction: GEORGIA });
    const { id } = await json<Receipt>(intake.request('POST', '/v1/incidents', { token: official, body: aSubmission() }));
    await expectEventually(async () => {
      const message = await admin.jsm.streams.getMessage('INCIDENTS', { last_by_subj: 'incident.reported.ga' });
      expect(message?.json()).toHaveProperty('subject', id);
    });

    // Triage, under its own user, reports its verdict; intake's consumer takes it and acks it.
    await new EventPublisher(triage.js, new Topology()).publish(createEvent('watchfloor.incident.triaged.v1', {
      incidentId: id, version: 1, priority: 'high', score: 62.5, model: 'nciss-notional-1', phase: 'election_day',
      breakdown: [{ factor: 'functionalImpact', input: 'significant_critical', value: 70, weight: 6, contribution: 62.5 }],
      adjustments: [], ackDeadline: new Date(Date.now() + 900_000).toISOString(),
    }, { source: '/watchfloor/triage', subject: id, tlp: 'amber', jurisdiction: FULTON, correlationId: 'test' }));
    await expectEventually(async () => {
      const incident = await json(intake.request('GET', `/v1/incidents/${id}`, { token: official }));
      expect(incident).toMatchObject({ status: 'triaged', priority: 'high' });
    });
    await expectEventually(async () => expect(await admin.jsm.consumers.info('INCIDENTS', 'intake--incident-triaged')).toMatchObject({ num_pending: 0, num_ack_pending: 0 }));
  });
});
