import { randomBytes } from 'node:crypto';
import { jetstream, jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { connect } from '@nats-io/transport-node';
import { apiClient, devToken, expectEventually, readStream, Random, SERVICES, startPostgresServer, startScaledSystem, startSmtpServer, startWebhookReceiver, SkewedClock, type PostgresServer, type ScaledSystem, type TestSmtpServer } from '@watchfloor/testing';
import { Client } from 'pg';
import { replayOutbox } from '@watchfloor/messaging';
import { serviceDataSourceOptions } from '@watchfloor/persistence';
import { DataSource } from 'typeorm';
import { compareStages, type IntegrityReport } from '../integrity/compare';
import { check, type Invariant } from './checker';
import { drawFaults, inject, Turns, type InjectedFault } from './faults';

import { Traffic, type TrafficLedger } from './traffic';
import { measureTriageLag, type TriageLag } from './triage-lag';

/** One soak. */
export interface SoakOptions {
  minutes: number;
  /** Operations per second (reports, repeats, updates, triage actions). */
  rate: number;
  faults: number;
  seed: number;
  /** Longest wait for quiet after the load (seconds). */
  drainS: number;
  /** Mean seconds before the floor acknowledges an accepted incident (0: no floor; {@link FLOOR_ACK_MEAN_S} by default). */
  floorAckMeanS?: number;
  log: (line: string) => void;
}

/** What a soak came to. */
export interface SoakReport {
  options: Omit<SoakOptions, 'log'>;
  faults: InjectedFault[];
  ledger: TrafficLedger;
  invariants: Invariant[];
  /** What the services logged as failed requests (a 5xx), by service and error message. */
  serverFaults: Map<string, number>;
  /** Outbox replays the integrity check called for (a broker that lost acknowledged messages). */
  replayed: Array<{ producer: string; since: Date; rows: number }>;
  /** Seconds from the end of the last fault, and from the end of the load, to quiet (undefined: never quiet). */
  drainedAfterFaultS?: number;
  drainedAfterLoadS?: number;
  /** How long reports waited for triage (undefined when it could not be read). */
  triageLag?: TriageLag;
  holds: boolean;
}

/** The partner's webhook subscription, and its SOC mailbox's. */
const WEBHOOK_EVENTS = ['watchfloor.incident.reported.v1', 'watchfloor.incident.triaged.v1'];
const EMAIL_EVENTS = ['watchfloor.incident.triaged.v1'];
const OUTBOXES = ['intake', 'triage', 'notification', 'audit'];
/** Short acknowledgement deadlines, so escalations happen (and are checked) within a short soak. */
const DEADLINES = { EMERGENCY: 15, SEVERE: 20, HIGH: 30, MEDIUM: 45, LOW: 60, BASELINE: 60 };
/** The floor acknowledges in 45 s on average: about a third of the incidents miss a 45 s deadline, one in eight the next. */
export const FLOOR_ACK_MEAN_S = 45;

/**
 * Runs the whole system twice over on a three-server cluster (as the scale-out test does),
 * drives it for `minutes` while injecting `faults` drawn with `seed`, lets the floor catch up
 * (every incident still new is acknowledged), waits for quiet, and checks every invariant.
 */
export async function runSoak(options: SoakOptions): Promise<SoakReport> {
  const { log } = options;
  const random = new Random(options.seed);
  const run = `soak${options.seed}-${randomBytes(2).toString('hex')}`;
  const receiver = await startWebhookReceiver();
  const smtp = await startSmtpServer();
  const serverFaults = new Map<string, number>();
  const onLine = (service: string, line: string) => {
    if (!line.includes('"request failed"')) return;
    const key = `${service}: ${failureOf(line).slice(0, 120)}`;
    serverFaults.set(key, (serverFaults.get(key) ?? 0) + 1);
  };
  // Triage's processes run on wall clocks of their own (libfaketime), not skewed until a fault says so.
  const triageClocks = [SkewedClock.create(), SkewedClock.create()] as const;
  let postgres: PostgresServer | undefined;
  let system: ScaledSystem | undefined;
  let nc: NatsConnection | undefined;
  let db: Client | undefined;
  try {
    log('starting: a postgres server of its own, a 3-server nats cluster, 2 processes of each service');
    postgres = await startPostgresServer();
    const database = postgres;
    system = await startScaledSystem({
      postgresUrl: database.url,
      onLine,
      // A process restarted on two busy cores (transpiling, migrating, connecting) can take a minute.
      startTimeoutMs: 300_000,
      env: {
        notification: { NOTIFICATION_SMTP_URL: smtp.url },
        triage: Object.fromEntries(Object.entries(DEADLINES).map(([level, seconds]) => [`TRIAGE_ACK_DEADLINE_${level}_SECONDS`, String(seconds)])),
      },
      replicaEnv: (service, replica) => (service === 'triage' ? triageClocks[replica].env : {}),
    });
    const running = system;
    nc = await connect({ servers: running.cluster.urls, name: 'soak', maxReconnectAttempts: -1, reconnectTimeWait: 250 });
    const js = jetstream(nc, { timeout: 10_000 });
    const jsm = await jetstreamManager(nc, { timeout: 10_000 });

    const partner = await devToken({ role: 'partner', sub: 'soak-partner', org: 'soak-partner', clearance: 'amber' });
    const subscribe = async (body: Record<string, unknown>): Promise<string> => {
      const answer = await apiClient(running.replicas.notification[0].url)('POST', '/v1/subscriptions', { token: partner, body });
      if (answer.status !== 201) throw new Error(`subscribing the partner failed: ${answer.status} ${await answer.text()}`);
      return ((await answer.json()) as { id: string }).id;
    };
    const webhookId = await subscribe({ name: 'partner SOC', channel: 'webhook', target: `${receiver.url}/partner`, events: WEBHOOK_EVENTS });
    const mailboxId = await subscribe({ name: 'SOC mailbox', channel: 'email', target: 'soc@partner-soc.org', events: EMAIL_EVENTS });

    const national = { jurisdiction: 'ocd-division/country:us', clearance: 'amber' as const };
    const tokens = {
      official: await devToken({ role: 'official', sub: 'soak-official', org: 'soak', ...national }),
      automation: await devToken({ role: 'automation', sub: 'soak-siem', org: 'soak-siem', ...national }),
      triage: await devToken({ role: 'triage', sub: 'soak-officer', clearance: 'red' }),
    };
    const traffic = new Traffic(run, new Random(options.seed + 1), {
      intakes: running.replicas.intake.map((r) => r.url),
      triages: running.replicas.triage.map((r) => r.url),
      tokens,
      floorAckMeanS: options.floorAckMeanS ?? FLOOR_ACK_MEAN_S,
    });

    const seconds = options.minutes * 60;
    const plan = drawFaults(random, options.faults, seconds);
    const victims = { kill: new Turns(SERVICES, random), stall: new Turns(SERVICES, random) };
    const started = Date.now();
    log(`load: ${options.rate}/s for ${seconds} s; ${plan.length} faults at ${plan.map((f) => `${f.at}s ${f.kind}`).join(', ')}`);
    const faults: InjectedFault[] = [];
    const faulting = (async () => {
      for (const planned of plan) {
        const wait = started + planned.at * 1000 - Date.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        const at = (Date.now() - started) / 1000;
        const { target, messageId } = await inject(planned.kind, random, { system: running, postgres: database, receiver, smtp, js, triageClocks, recentEvent: () => lastEvent(jsm), victims });
        const fault: InjectedFault = { kind: planned.kind, at: round(at), target, lasted: round((Date.now() - started) / 1000 - at), ...(messageId ? { messageId } : {}) };
        faults.push(fault);
        log(`fault ${faults.length}/${plan.length} at ${fault.at} s: ${fault.kind}, ${fault.target} (${fault.lasted} s)`);
      }
    })();
    await Promise.all([traffic.drive(options.rate, seconds), faulting]);
    const loadEnded = Date.now();
    const lastFaultEnded = started + Math.max(0, ...faults.map((f) => (f.at + f.lasted) * 1000));
    log(`load done: ${[...traffic.ledger.answers].map(([answer, n]) => `${answer} x${n}`).join(', ')}`);

    // Connected only now: a Postgres restart during the load would have cut it.
    const sql = new Client({ connectionString: running.db.url });
    db = sql;
    await sql.connect();
    log('the floor catches up: every incident still new is acknowledged');
    await acknowledgeAll(sql, running.replicas.triage[0].url, tokens.triage);
    const quiet = await waitForQuiet(sql, jsm, options.drainS);
    const now = Date.now();
    log(quiet ? `quiet ${round((now - loadEnded) / 1000)} s after the load` : `not quiet after ${options.drainS} s`);

    const window = { since: new Date(started - 60_000), until: new Date() };
    let integrity = await compareInSnapshot(sql, window);
    const replayed: SoakReport['replayed'] = [];
    if (!integrity.consistent) {
      // What `npm run integrity` prints an operator to run: a broker lost a tail; the outbox replays it.
      for (const repair of integrity.repairs) replayed.push({ ...repair, rows: await replay(running.db.url, repair.producer, repair.since) });
      log(`integrity: not consistent; replayed ${replayed.map((r) => `${r.rows} rows of ${r.producer}`).join(', ')}`);
      await waitForQuiet(sql, jsm, options.drainS);
      integrity = await compareInSnapshot(sql, window);
    }
    const auditor = await devToken({ role: 'auditor', clearance: 'red' });
    const verify = (await (await apiClient(running.replicas.audit[0].url)('GET', '/v1/audit/verify', { token: auditor })).json()) as { valid?: boolean };
    const mailed = mailsOf(smtp.messages);
    const invariants = await check(traffic.ledger, {
      sql,
      incidentEvents: await readStream(js, jsm, 'INCIDENTS'),
      notificationEvents: await readStream(js, jsm, 'NOTIFICATIONS'),
      subscriptions: [
        { id: webhookId, name: 'partner webhook', events: WEBHOOK_EVENTS, seen: (deliveryId) => receiver.received.get(deliveryId) ?? 0 },
        { id: mailboxId, name: 'SOC mailbox', events: EMAIL_EVENTS, seen: (deliveryId) => mailed.get(deliveryId) ?? 0 },
      ],
      chainValid: verify.valid === true,
      integrityConsistent: integrity.consistent,
      poisonIds: faults.flatMap((f) => (f.messageId ? [f.messageId] : [])),
      ackPeriodsS: { shortest: Math.min(...Object.values(DEADLINES)), longest: Math.max(...Object.values(DEADLINES)) },
      loadStartedAt: new Date(started),
    });
    const holds = quiet && invariants.every((i) => i.broken === 0);
    const triageLag = await measureTriageLag(sql, new Date(started)).catch((error: unknown) => {
      log(`report -> triaged lag not measured: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    });
    return {
      options: { minutes: options.minutes, rate: options.rate, faults: options.faults, seed: options.seed, drainS: options.drainS, floorAckMeanS: options.floorAckMeanS ?? FLOOR_ACK_MEAN_S },
      faults,
      ledger: traffic.ledger,
      invariants,
      serverFaults,
      replayed,
      ...(quiet ? { drainedAfterFaultS: round((now - lastFaultEnded) / 1000), drainedAfterLoadS: round((now - loadEnded) / 1000) } : {}),
      ...(triageLag ? { triageLag } : {}),
      holds,
    };
  } finally {
    await db?.end().catch(() => undefined);
    await nc?.close().catch(() => undefined);
    await system?.stop().catch(() => undefined);
    await postgres?.stop().catch(() => undefined);
    await receiver.close();
    await smtp.close();
    for (const clock of triageClocks) clock.remove();
  }
}

/** `npm run integrity`'s comparison, at one instant (one read-only snapshot). */
async function compareInSnapshot(sql: Client, window: { since: Date; until: Date }): Promise<IntegrityReport> {
  await sql.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  try {
    return await compareStages(sql, window);
  } finally {
    await sql.query('COMMIT');
  }
}

/** `npm run outbox:replay -- --schema <producer> --since <since>`: the service's relay publishes them again. */
async function replay(url: string, producer: string, since: Date): Promise<number> {
  const dataSource = new DataSource(serviceDataSourceOptions({ url, schema: producer, applicationName: 'soak-replay', poolSize: 1 }));
  await dataSource.initialize();
  try {
    return await replayOutbox(dataSource, since);
  } finally {
    await dataSource.destroy();
  }
}

/** The error message of a `request failed` log line (a line cut between two output chunks has none). */
function failureOf(line: string): string {
  try {
    return (JSON.parse(line) as { err?: { message?: string } }).err?.message ?? 'no message';
  } catch {
    return 'a log line cut in two';
  }
}

/** Mails accepted, by the delivery id they carry (`X-Watchfloor-Delivery`). */
function mailsOf(messages: TestSmtpServer['messages']): Map<string, number> {
  const byDelivery = new Map<string, number>();
  for (const message of messages) {
    const id = /^X-Watchfloor-Delivery: *(\S+)/im.exec(message.raw)?.[1];
    if (id) byDelivery.set(id, (byDelivery.get(id) ?? 0) + 1);
  }
  return byDelivery;
}

const round = (value: number) => Math.round(value * 10) / 10;

/** The last message of INCIDENTS, to publish again. */
async function lastEvent(jsm: JetStreamManager): Promise<{ subject: string; data: Uint8Array } | undefined> {
  const { state } = await jsm.streams.info('INCIDENTS');
  if (state.messages === 0) return undefined;
  const message = await jsm.streams.getMessage('INCIDENTS', { seq: state.last_seq });
  return message ? { subject: message.subject, data: message.data } : undefined;
}

/** Acknowledges, through triage's API, every incident still `new` (polled until none is left). */
async function acknowledgeAll(db: Client, triageUrl: string, token: string): Promise<void> {
  const request = apiClient(triageUrl);
  await expectEventually(async () => {
    const { rows } = await db.query<{ id: string }>(`SELECT id FROM triage.incident WHERE status = 'new'`);
    for (let i = 0; i < rows.length; i += 16) {
      await Promise.all(rows.slice(i, i + 16).map(async ({ id }) => (await request('POST', `/v1/incidents/${id}/acknowledge`, { token })).arrayBuffer()));
    }
    const left = await db.query<{ n: string }>(`SELECT count(*) AS n FROM triage.incident WHERE status = 'new'`);
    if (Number(left.rows[0]?.n) > 0) throw new Error(`${left.rows[0]?.n} incidents still new`);
  }, { timeoutMs: 300_000, intervalMs: 1_000 });
}

/**
 * Quiet: every outbox published, every consumer of every stream with nothing pending or
 * unacknowledged, every delivery finished, and intake's incidents all triaged. True once
 * reached within `seconds`.
 */
async function waitForQuiet(db: Client, jsm: JetStreamManager, seconds: number): Promise<boolean> {
  const count = async (query: string) => Number((await db.query<{ n: string }>(query)).rows[0]?.n);
  try {
    await expectEventually(async () => {
      for (const schema of OUTBOXES) {
        const unpublished = await count(`SELECT count(*) AS n FROM ${schema}.outbox WHERE published_at IS NULL`);
        if (unpublished > 0) throw new Error(`${schema}: ${unpublished} events not published`);
      }
      for (const stream of ['INCIDENTS', 'NOTIFICATIONS', 'AUDIT']) {
        for await (const consumer of jsm.consumers.list(stream)) {
          if (consumer.num_pending > 0 || consumer.num_ack_pending > 0) throw new Error(`${consumer.name}: ${consumer.num_pending} pending, ${consumer.num_ack_pending} unacknowledged`);
        }
      }
      const open = await count(`SELECT count(*) AS n FROM notification.delivery WHERE status NOT IN ('delivered', 'dead')`);
      if (open > 0) throw new Error(`${open} deliveries not finished`);
      const untriaged = await count(`SELECT count(*) AS n FROM intake.incident i WHERE NOT EXISTS (SELECT 1 FROM triage.incident t WHERE t.id = i.id)`);
      if (untriaged > 0) throw new Error(`${untriaged} incidents not triaged`);
    }, { timeoutMs: seconds * 1000, intervalMs: 1_000 });
    return true;
  } catch {
    return false;
  }
}
