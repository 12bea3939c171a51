import { randomUUID } from 'node:crypto';
import type { JetStreamClient } from '@nats-io/jetstream';
import { headers as natsHeaders } from '@nats-io/nats-core';
import { type PostgresServer, type Random, type ScaledSystem, type ServiceName, type SkewedClock, type TestSmtpServer, type WebhookReceiver } from '@watchfloor/testing';
import { Client } from 'pg';

/** The faults the soak draws from. */
export const FAULT_KINDS = [
  'kill-service',
  'kill-nats-server',
  'power-loss',
  'restart-postgres',
  'squeeze-connections',
  'stall-process',
  'webhook-trouble',
  'smtp-trouble',
  'poison-message',
  'duplicate-event',
  'skew-clock',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** A fault as it was injected. */
export interface InjectedFault {
  kind: FaultKind;
  /** Seconds from the start of the load. */
  at: number;
  /** What it hit, in words. */
  target: string;
  /** How long it lasted (until the thing was back), seconds. */
  lasted: number;
  /** A poison message's Nats-Msg-Id (what a dead letter names it by). */
  messageId?: string;
}

/** What the faults act on. */
export interface FaultTargets {
  system: ScaledSystem;
  /** The system's own Postgres server (restarting it touches nothing else). */
  postgres: PostgresServer;
  receiver: WebhookReceiver;
  smtp: TestSmtpServer;
  js: JetStreamClient;
  /** The wall clocks triage's two processes run on (libfaketime), to skew one. */
  triageClocks: readonly [SkewedClock, SkewedClock];
  /** Events the system published (for a duplicate); the last few are enough. */
  recentEvent(): Promise<{ subject: string; data: Uint8Array } | undefined>;
  /** Which service a kill, and which a stall, hits next: each service in turn (see {@link Turns}). */
  victims: { kill: Turns<ServiceName>; stall: Turns<ServiceName> };
}

/**
 * Draws from `values` each once, in a seeded order, before any repeats, and so on: a soak
 * with eight kills kills each service twice, where independent draws could hit one service
 * six times and another never.
 */
export class Turns<T> {
  private left: T[] = [];

  constructor(
    private readonly values: readonly T[],
    private readonly random: Random,
  ) {}

  next(): T {
    if (this.left.length === 0) this.left = [...this.values];
    return this.left.splice(this.random.int(0, this.left.length - 1), 1)[0] as T;
  }
}

/** Longer than every consumer's ack wait in the scaled system (audit's: 10 s). */
const STALL_SECONDS = 12;
/** Longer than the scaled system's webhook timeout (5 s). */
const HANG_SECONDS = 7;
/** How long the SMTP server refuses (451: try again later). */
const SMTP_REFUSAL_SECONDS = 5;
/** How long the squeeze holds every free connection. */
const SQUEEZE_SECONDS = 8;
/** How long a triage process's clock stays skewed: past the emergencies' deadline (15 s), so deadlines are set and fall due meanwhile. */
const SKEW_SECONDS = 20;

const pause = (seconds: number) => new Promise((resolve) => setTimeout(resolve, seconds * 1000));

/**
 * Draws `count` faults and their times (seconds into a load of `seconds`), spread over its
 * first three quarters so the system has the rest of the load to show it recovered.
 */
export function drawFaults(random: Random, count: number, seconds: number): Array<{ kind: FaultKind; at: number }> {
  const kinds = new Turns(FAULT_KINDS, random);
  const drawn = Array.from({ length: count }, () => ({
    kind: kinds.next(),
    at: Math.round((0.05 + 0.7 * random.next()) * seconds * 10) / 10,
  }));
  return drawn.sort((a, b) => a.at - b.at);
}

/** Injects one fault and waits until what it broke is back (a restarted process is ready). */
export async function inject(kind: FaultKind, random: Random, targets: FaultTargets): Promise<{ target: string; messageId?: string }> {
  const { system, receiver, js } = targets;
  switch (kind) {
    case 'kill-service': {
      const service = targets.victims.kill.next();
      const replica = random.int(0, 1);
      await system.replicas[service][replica].kill();
      await pause(random.int(1, 3));
      await system.replicas[service][replica].restart();
      return { target: `${service} #${replica + 1} (SIGKILL, restarted)` };
    }
    case 'kill-nats-server': {
      const server = random.int(0, system.cluster.urls.length - 1);
      await system.cluster.kill(server);
      await pause(random.int(2, 4));
      await system.cluster.restart(server);
      return { target: `nats-server ${system.cluster.names[server]} (SIGKILL, restarted)` };
    }
    case 'power-loss': {
      const servers = system.cluster.urls.map((_, i) => i);
      await Promise.all(servers.map((i) => system.cluster.kill(i)));
      await pause(2);
      await Promise.all(servers.map((i) => system.cluster.restart(i)));
      return { target: 'all three nats-servers (SIGKILL together, restarted)' };
    }
    case 'restart-postgres':
      await targets.postgres.restart();
      return { target: 'postgres (fast shutdown, every connection cut, restarted)' };
    case 'squeeze-connections': {
      const held = await takeFreeConnections(system.db.url);
      await pause(SQUEEZE_SECONDS);
      await Promise.all(held.map((client) => client.end().catch(() => undefined)));
      return { target: `postgres: every free connection taken (${held.length}) for ${SQUEEZE_SECONDS} s` };
    }
    case 'stall-process': {
      const service = targets.victims.stall.next();
      const replica = random.int(0, 1);
      const pid = system.replicas[service][replica].pid();
      if (pid === undefined) return { target: `${service} #${replica + 1} (not running: nothing stalled)` };
      process.kill(pid, 'SIGSTOP');
      await pause(STALL_SECONDS);
      process.kill(pid, 'SIGCONT');
      return { target: `${service} #${replica + 1} (SIGSTOP for ${STALL_SECONDS} s, SIGCONT)` };
    }
    case 'webhook-trouble':
      receiver.behave('failing');
      await pause(3);
      receiver.behave('throttling');
      await pause(3);
      receiver.behave('hanging');
      await pause(HANG_SECONDS);
      receiver.behave('ok');
      return { target: `partner webhook: 500 for 3 s, 429 Retry-After for 3 s, no answer for ${HANG_SECONDS} s, then 200` };
    case 'smtp-trouble':
      targets.smtp.refuseWith(451);
      await pause(SMTP_REFUSAL_SECONDS);
      targets.smtp.refuseWith(undefined);
      return { target: `SMTP server: 451 for ${SMTP_REFUSAL_SECONDS} s, then accepting` };
    case 'poison-message': {
      const subject = 'incident.reported.ga';
      const messageId = randomUUID();
      await js.publish(subject, new TextEncoder().encode('{"not": "a cloud event"'), { msgID: messageId });
      return { target: `malformed message on ${subject}`, messageId };
    }
    case 'duplicate-event': {
      const event = await targets.recentEvent();
      if (!event) return { target: 'no event yet to repeat' };
      // Another Nats-Msg-Id, so the stream keeps it: a redelivery the consumers must drop.
      const headers = natsHeaders();
      headers.set('Nats-Msg-Id', randomUUID());
      await js.publish(event.subject, event.data, { headers });
      return { target: `an event of ${event.subject} published again` };
    }
    case 'skew-clock': {
      // Minutes either way, far past every deadline: a process ahead would escalate at once, one behind set deadlines already missed.
      const replica = random.int(0, 1);
      const minutes = random.int(2, 5) * random.pick([1, -1] as const);
      const clock = targets.triageClocks[replica];
      clock.skew(minutes * 60);
      await pause(SKEW_SECONDS);
      clock.skew(0);
      return { target: `triage #${replica + 1}: wall clock stepped ${Math.abs(minutes)} min ${minutes > 0 ? 'ahead' : 'behind'} for ${SKEW_SECONDS} s, then back` };
    }
  }
}

/** Connections opened at once while squeezing. */
const SQUEEZE_WAVE = 32;

/**
 * Opens connections until the server refuses one (max_connections reached), a wave of
 * {@link SQUEEZE_WAVE} at a time: one by one, on two busy cores, taking a hundred took most
 * of a minute, so the services were squeezed for far longer than the fault says.
 */
async function takeFreeConnections(url: string): Promise<Client[]> {
  const held: Client[] = [];
  for (let wave = 0; wave < 1_000 / SQUEEZE_WAVE; wave++) {
    const opened = await Promise.all(
      Array.from({ length: SQUEEZE_WAVE }, async () => {
        const client = new Client({ connectionString: url });
        client.on('error', () => undefined);
        return client.connect().then(
          () => client,
          () => undefined,
        );
      }),
    );
    const taken = opened.filter((client): client is Client => client !== undefined);
    held.push(...taken);
    if (taken.length < SQUEEZE_WAVE) break;
  }
  return held;
}
