// The deployed NATS users (deploy/kubernetes/base/nats: nats.conf, permissions.conf and the
// automation example) on a real nats-server: each may do its own work and nothing else.
import { AckPolicy, jetstream, jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { connect } from '@nats-io/transport-node';
import { type NatsWithUsers, startNatsWithUsers } from '@watchfloor/testing';

const DENIED = /Permissions Violation/;
const AUTOMATION = { user: 'automation-ga', permissions: 'AUTOMATION_GA_PERMISSIONS', file: 'automation-example.conf' };

describe('NATS users and their permissions', () => {
  let nats: NatsWithUsers;
  const connections: NatsConnection[] = [];
  const as = async (user: string): Promise<NatsConnection> => {
    const credentials = nats.credentials[user];
    if (!credentials) throw new Error(`no user ${user}`);
    // The inbox prefix the services take from NATS_USER (libs/messaging inboxPrefixOf).
    const nc = await connect({ servers: nats.url, ...credentials, inboxPrefix: `_INBOX.${user}` });
    connections.push(nc);
    return nc;
  };
  const manager = async (user: string): Promise<JetStreamManager> => jetstreamManager(await as(user));
  /** Resolves with the error that ends a subscription (a refused one ends at once). */
  const subscriptionError = async (nc: NatsConnection, subject: string): Promise<unknown> => {
    try {
      for await (const _message of nc.subscribe(subject)) return 'a message arrived';
      return 'the subscription ended without error';
    } catch (error) {
      return error;
    }
  };
  const messages = async (subject: string) => {
    const jsm = await manager('admin');
    return (await jsm.streams.info('INCIDENTS', { subjects_filter: subject })).state.subjects ?? {};
  };

  beforeAll(async () => {
    nats = await startNatsWithUsers([AUTOMATION]);
    // A service creates the streams it needs when they do not exist (the services do so at start-up).
    const intake = await manager('intake');
    for (const [name, subjects] of [['INCIDENTS', 'incident.>'], ['DEADLETTER', 'deadletter.>']]) {
      await intake.streams.add({ name, subjects: [subjects as string] });
    }
  });
  afterAll(async () => {
    await Promise.all(connections.map((nc) => nc.close()));
    await nats?.dispose();
  });

  it("lets intake publish its own events and refuses triage's", async () => {
    const js = jetstream(await as('intake'));
    await expect(js.publish('incident.reported.ga', '{}')).resolves.toHaveProperty('stream', 'INCIDENTS');
    await expect(js.publish('deadletter.intake.incident.triaged.ga', '{}')).resolves.toHaveProperty('stream', 'DEADLETTER');
    await expect(js.publish('incident.triaged.ga', '{}')).rejects.toThrow(DENIED);
    await expect(js.publish('deadletter.triage.incident.reported.ga', '{}')).rejects.toThrow(DENIED);
    expect(await messages('incident.triaged.>')).toEqual({});
    await expect(jetstream(await as('triage')).publish('incident.triaged.ga', '{}')).resolves.toHaveProperty('stream', 'INCIDENTS');
    await expect(jetstream(await as('triage')).publish('incident.reported.ga', '{}')).rejects.toThrow(DENIED);
  });

  it('lets intake, triage and notification record an exercise purge, and audit, which only records, not', async () => {
    for (const service of ['intake', 'triage', 'notification']) {
      await expect(jetstream(await as(service)).publish('incident.exercise_purged.us', '{}')).resolves.toHaveProperty('stream', 'INCIDENTS');
    }
    await expect(jetstream(await as('audit')).publish('incident.exercise_purged.us', '{}')).rejects.toThrow(DENIED);
    // Gone again, for the tests below that count the stream's subjects.
    await (await manager('admin')).streams.purge('INCIDENTS', { filter: 'incident.exercise_purged.us' });
  });

  it('lets a service create a stream but not change, purge or delete one', async () => {
    const intake = await manager('intake');
    await expect(intake.streams.info('INCIDENTS')).resolves.toHaveProperty('config.name', 'INCIDENTS');
    await expect(intake.streams.update('INCIDENTS', { max_msgs: 1 })).rejects.toThrow(DENIED);
    await expect(intake.streams.purge('INCIDENTS')).rejects.toThrow(DENIED);
    await expect(intake.streams.delete('INCIDENTS')).rejects.toThrow(DENIED);
    await expect(intake.streams.add({ name: 'ELSEWHERE', subjects: ['elsewhere.>'] })).rejects.toThrow(DENIED);
  });

  it("refuses a service another service's consumer, other subjects and other users' replies", async () => {
    const intake = await manager('intake');
    await expect(intake.consumers.add('INCIDENTS', { durable_name: 'triage--incident-reported', filter_subject: 'incident.reported.>', ack_policy: AckPolicy.Explicit })).rejects.toThrow(DENIED);
    // Its own consumer, but reading what it does not handle.
    await expect(intake.consumers.add('INCIDENTS', { durable_name: 'intake--incident-triaged', filter_subject: 'incident.>', ack_policy: AckPolicy.Explicit })).rejects.toThrow(DENIED);
    await expect(intake.consumers.add('INCIDENTS', { durable_name: 'intake--incident-triaged', filter_subject: 'incident.triaged.>', ack_policy: AckPolicy.Explicit })).resolves.toHaveProperty('name', 'intake--incident-triaged');
    const nc = await as('intake');
    expect(await subscriptionError(nc, 'incident.>')).toMatchObject({ message: expect.stringMatching(DENIED) });
    expect(await subscriptionError(nc, '_INBOX.>')).toMatchObject({ message: expect.stringMatching(DENIED) });
    expect(await subscriptionError(nc, '_INBOX.triage.>')).toMatchObject({ message: expect.stringMatching(DENIED) });
  });

  describe('an automation of one state (automation-example.conf)', () => {
    beforeAll(async () => {
      // What it must never see: Pennsylvania's events, and a consumer of them made by an administrator.
      await jetstream(await as('intake')).publish('incident.reported.pa', '{"state":"pa"}');
      await (await manager('admin')).consumers.add('INCIDENTS', { durable_name: 'automation-pa', filter_subject: 'incident.*.pa', ack_policy: AckPolicy.Explicit });
    });

    it("reads its state's events through its own consumer", async () => {
      const nc = await as('automation-ga');
      const jsm = await jetstreamManager(nc);
      await jsm.consumers.add('INCIDENTS', { durable_name: 'automation-ga', filter_subject: 'incident.*.ga', ack_policy: AckPolicy.Explicit });
      const consumer = await jetstream(nc).consumers.get('INCIDENTS', 'automation-ga');
      const subjects: string[] = [];
      for await (const message of await consumer.fetch({ max_messages: 2, expires: 5_000 })) {
        subjects.push(message.subject);
        message.ack();
      }
      expect(subjects).toEqual(['incident.reported.ga', 'incident.triaged.ga']);
      // And nothing else is waiting for it (Pennsylvania's report is on the stream).
      expect(await consumer.info()).toHaveProperty('num_pending', 0);
    });

    it("cannot create or bind a consumer of another state's subjects, nor subscribe to them", async () => {
      const nc = await as('automation-ga');
      const jsm = await jetstreamManager(nc);
      await expect(jsm.consumers.add('INCIDENTS', { durable_name: 'automation-ga', filter_subject: 'incident.*.pa', ack_policy: AckPolicy.Explicit })).rejects.toThrow(DENIED);
      await expect(jsm.consumers.add('INCIDENTS', { durable_name: 'automation-ga', filter_subject: 'incident.>', ack_policy: AckPolicy.Explicit })).rejects.toThrow(DENIED);
      await expect(jsm.consumers.add('INCIDENTS', { durable_name: 'mine', filter_subject: 'incident.*.ga', ack_policy: AckPolicy.Explicit })).rejects.toThrow(DENIED);
      // The allowed request subject, another filter in its body: the server refuses the mismatch.
      const smuggled = await nc.request('$JS.API.CONSUMER.CREATE.INCIDENTS.automation-ga.incident.*.ga', JSON.stringify({
        stream_name: 'INCIDENTS',
        config: { durable_name: 'automation-ga', name: 'automation-ga', filter_subject: 'incident.*.pa', ack_policy: 'explicit' },
      }));
      expect(smuggled.json()).toMatchObject({ error: { code: 400, description: expect.stringMatching(/filter/i) } });
      // Binding to the administrator's Pennsylvania consumer, or fetching from it.
      await expect(jetstream(nc).consumers.get('INCIDENTS', 'automation-pa')).rejects.toThrow(DENIED);
      await expect(nc.request('$JS.API.CONSUMER.MSG.NEXT.INCIDENTS.automation-pa', '{"batch":1}')).rejects.toThrow(DENIED);
      // Reading messages straight from the stream, or the subjects themselves.
      await expect(nc.request('$JS.API.STREAM.MSG.GET.INCIDENTS', '{"last_by_subj":"incident.reported.pa"}')).rejects.toThrow(DENIED);
      for (const subject of ['incident.*.pa', 'incident.reported.ga', '_INBOX.>']) {
        expect(await subscriptionError(nc, subject)).toMatchObject({ message: expect.stringMatching(DENIED) });
      }
      // And it publishes nothing.
      await expect(jetstream(nc).publish('incident.reported.ga', '{}')).rejects.toThrow(DENIED);
      expect(Object.keys(await messages('incident.>')).sort()).toEqual(['incident.reported.ga', 'incident.reported.pa', 'incident.triaged.ga']);
    });
  });
});
