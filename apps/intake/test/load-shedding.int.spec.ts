import { aSubmission, expectEventually, GEORGIA } from '@watchfloor/testing';
import { Client } from 'pg';
import { eventOf, type IntakeUnderTest, type Receipt, startIntake } from './harness';

/** One submission's answer, once it has come. */
interface Answer {
  key: string;
  status: number;
  contentType: string | null;
  retryAfter: string | null;
  body: Record<string, unknown>;
}

/**
 * Holds intake's incident table: every group-commit batch blocks on its first insert, so
 * submissions pile up in the queue as they would behind a database that cannot keep up.
 */
async function holdIncidentTable(url: string): Promise<{ release(): Promise<void> }> {
  const locker = new Client({ connectionString: url });
  await locker.connect();
  await locker.query('BEGIN');
  await locker.query('LOCK TABLE intake.incident IN EXCLUSIVE MODE');
  return {
    async release() {
      await locker.query('ROLLBACK');
      await locker.end();
    },
  };
}

/** Sends submissions without waiting; `answers` fills as they come. */
function submitter(intake: IntakeUnderTest, token: string) {
  const answers: Answer[] = [];
  const inFlight: Array<Promise<void>> = [];
  let sent = 0;
  return {
    answers,
    send(prefix: string): void {
      const key = `${prefix}-${sent++}`;
      inFlight.push(
        intake.request('POST', '/v1/incidents', { token, body: aSubmission({ title: `Report ${key}` }), headers: { 'idempotency-key': key } }).then(async (response) => {
          answers.push({ key, status: response.status, contentType: response.headers.get('content-type'), retryAfter: response.headers.get('retry-after'), body: (await response.json()) as Record<string, unknown> });
        }),
      );
    },
    all: () => Promise.all(inFlight),
  };
}

/** Every 201 is committed once with its event on the stream, and nothing else was written. */
async function expectOnlyAcceptedStored(intake: IntakeUnderTest, answers: Answer[]): Promise<void> {
  const accepted = answers.filter((answer) => answer.status === 201);
  const counts = await intake.counts();
  expect(counts).toEqual({ incidents: accepted.length, outbox: accepted.length, messages: accepted.length });
  const { rows } = await intake.sql.query<{ id: string; idempotency_key: string }>('SELECT id, idempotency_key FROM intake.incident');
  expect(new Map(rows.map((row) => [row.idempotency_key, row.id]))).toEqual(new Map(accepted.map((answer) => [answer.key, (answer.body as unknown as Receipt).id])));
  const events = (await intake.streamMessages()).map((message) => eventOf(message).data['incidentId']);
  expect(events.sort()).toEqual(rows.map((row) => row.id).sort());
}

function expectOverloadProblem(answer: Answer, retryAfter: string): void {
  expect(answer).toMatchObject({
    status: 503,
    retryAfter,
    body: { status: 503, code: 'SERVICE.OVERLOADED', type: 'urn:watchfloor:problem:SERVICE.OVERLOADED' },
  });
  expect(answer.contentType).toMatch(/^application\/problem\+json/);
}

describe('intake sheds submissions past its queue bound', () => {
  const QUEUE_LIMIT = 3;
  const MAX_BATCH = 2;
  const BURST = 30;
  let intake: IntakeUnderTest;
  let token: string;

  beforeAll(async () => {
    intake = await startIntake({
      INTAKE_QUEUE_LIMIT: String(QUEUE_LIMIT),
      // One batch of at most two at a time, so "admitted" is easy to bound: that batch, plus the queue.
      INTAKE_GROUP_COMMIT_CONCURRENCY: '1',
      INTAKE_GROUP_COMMIT_MAX_BATCH: String(MAX_BATCH),
      INTAKE_OVERLOAD_RETRY_AFTER_SECONDS: '7',
      RATE_LIMIT_PER_MINUTE: '100000',
    });
    token = await intake.token({ jurisdiction: GEORGIA });
  });
  afterAll(() => intake.close());

  it('answers a burst it cannot queue with 503 + Retry-After, writes nothing for those and commits the rest once', async () => {
    const table = await holdIncidentTable(intake.db.url);
    const burst = submitter(intake, token);
    let released = false;
    try {
      for (let i = 0; i < BURST; i++) burst.send('burst');
      // While nothing can commit, intake admits at most the running batch (its writes have
      // begun) plus the queue, and answers every other submission at once instead of leaving it hanging.
      const admittedAtMost = MAX_BATCH + QUEUE_LIMIT;
      await expectEventually(() => expect(burst.answers.length).toBeGreaterThanOrEqual(BURST - admittedAtMost));
      for (const answer of burst.answers) expectOverloadProblem(answer, '7');
      await table.release();
      released = true;
      await burst.all();
    } finally {
      if (!released) await table.release();
    }

    const accepted = burst.answers.filter((answer) => answer.status === 201);
    expect(accepted.length).toBeGreaterThan(0);
    expect(burst.answers.filter((answer) => answer.status !== 201 && answer.status !== 503)).toEqual([]);
    await expectOnlyAcceptedStored(intake, burst.answers);

    // The overload is over: a new submission is accepted again.
    const after = await intake.request('POST', '/v1/incidents', { token, body: aSubmission() });
    expect(after.status).toBe(201);
  });
});

describe('intake sheds submissions once the queue has waited too long', () => {
  let intake: IntakeUnderTest;
  let token: string;

  beforeAll(async () => {
    intake = await startIntake({
      INTAKE_QUEUE_WAIT_LIMIT_MS: '200',
      INTAKE_GROUP_COMMIT_CONCURRENCY: '1',
      RATE_LIMIT_PER_MINUTE: '100000',
    });
    token = await intake.token({ jurisdiction: GEORGIA });
  });
  afterAll(() => intake.close());

  it('refuses new submissions while the oldest waiting one is past the bound; the waiting ones commit', async () => {
    const table = await holdIncidentTable(intake.db.url);
    const probes = submitter(intake, token);
    let released = false;
    try {
      // Each attempt sends one more submission; those admitted wait behind the held table.
      await expectEventually(() => {
        probes.send('probe');
        expect(probes.answers.map((answer) => answer.status)).toContain(503);
      }, { intervalMs: 50 });
      const refused = probes.answers.filter((answer) => answer.status === 503);
      for (const answer of refused) expectOverloadProblem(answer, '2');
      expect(refused[0]?.body['detail']).toMatch(/waiting too long/);
      await table.release();
      released = true;
      await probes.all();
    } finally {
      if (!released) await table.release();
    }

    expect(probes.answers.filter((answer) => answer.status === 201).length).toBeGreaterThan(0);
    expect(probes.answers.filter((answer) => answer.status !== 201 && answer.status !== 503)).toEqual([]);
    await expectOnlyAcceptedStored(intake, probes.answers);
    const metrics = await (await intake.request('GET', '/metrics')).text();
    expect(metrics).toMatch(/^watchfloor_intake_submissions_shed_total\{[^}]*reason="queue_wait"[^}]*\} [1-9]/m);
  });
});
