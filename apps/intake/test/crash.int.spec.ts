import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { DEV_AUTH_SECRET, signDevToken } from '@watchfloor/platform';
import { aCaller, aSubmission, type ChildService, createTestDatabase, expectEventually, GEORGIA, spawnService, startPrivateNats, type PrivateNats, type TestDatabase } from '@watchfloor/testing';

const BURST = 300;

/** Every event id on the private server's INCIDENTS stream. */
async function eventIdsOnStream(natsUrl: string): Promise<string[]> {
  const nc = await connect({ servers: natsUrl });
  try {
    const jsm = await jetstreamManager(nc);
    const { state } = await jsm.streams.info('INCIDENTS');
    const ids: string[] = [];
    for (let seq = state.first_seq; state.messages > 0 && seq <= state.last_seq; seq++) {
      const message = await jsm.streams.getMessage('INCIDENTS', { seq });
      if (message) ids.push((message.json() as { data: { incidentId: string } }).data.incidentId);
    }
    return ids;
  } finally {
    await nc.close();
  }
}

/** Fires `count` submissions at once; the ids of those answered 201. */
async function burst(url: string, token: string, count: number): Promise<string[]> {
  const responses = await Promise.all(
    Array.from({ length: count }, (_, i) =>
      fetch(`${url}/v1/incidents`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(aSubmission({ title: `Burst report ${i}` })),
      }),
    ),
  );
  const accepted: string[] = [];
  for (const response of responses) {
    if (response.status === 201) accepted.push(((await response.json()) as { id: string }).id);
    else await response.arrayBuffer();
  }
  return accepted;
}

/** Each accepted incident's event on the stream exactly once, and nothing else. */
async function expectExactlyOnce(natsUrl: string, accepted: string[]): Promise<void> {
  await expectEventually(
    async () => {
      const ids = await eventIdsOnStream(natsUrl);
      expect(ids).toHaveLength(accepted.length);
      expect(new Set(ids)).toEqual(new Set(accepted));
    },
    { timeoutMs: 60_000, intervalMs: 250 },
  );
}

describe('intake: no accepted incident is lost, whatever crashes', () => {
  let db: TestDatabase;
  let nats: PrivateNats;
  let intake: ChildService | undefined;
  let token: string;

  beforeEach(async () => {
    db = await createTestDatabase();
    nats = await startPrivateNats();
    token = await signDevToken(aCaller({ jurisdiction: GEORGIA }), DEV_AUTH_SECRET, '1h');
  });
  afterEach(async () => {
    await intake?.stop();
    await nats.dispose();
    await db.drop();
  });

  it('kill -9 right after a burst of 201s: after a restart every accepted incident is on the stream exactly once', async () => {
    intake = await spawnService('intake', { DATABASE_URL: db.url, NATS_URL: nats.url });
    const accepted = await burst(intake.url, token, BURST);
    await intake.kill();
    expect(accepted).toHaveLength(BURST);

    await intake.restart();
    await expectExactlyOnce(nats.url, accepted);
  });

  it('keeps accepting while NATS is down, and publishes everything once NATS is back, even across a crash', async () => {
    intake = await spawnService('intake', { DATABASE_URL: db.url, NATS_URL: nats.url });
    const before = await burst(intake.url, token, 20);
    await expectExactlyOnce(nats.url, before);

    await nats.stop();
    const whileDown = await burst(intake.url, token, BURST);
    expect(whileDown).toHaveLength(BURST);
    await intake.kill();

    await nats.start();
    await intake.restart();
    await expectExactlyOnce(nats.url, [...before, ...whileDown]);
  });
});
