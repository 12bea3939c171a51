import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { connect } from '@nats-io/transport-node';
import { defaultLogger, type MessagingLogger } from './logger';

/** How to reach NATS. */
export interface JetStreamConnectOptions {
  servers: string[] | string;
  /** Client name shown by the server (the service name). */
  name: string;
  user?: string;
  pass?: string;
  token?: string;
  /** Wait between reconnect attempts (default 1 s, with jitter). */
  reconnectTimeWaitMs?: number;
  /** Timeout of JetStream API requests and publishes (default 5 s). */
  timeoutMs?: number;
  logger?: MessagingLogger;
}

/** A NATS connection with its JetStream client and manager. */
export interface JetStreamConnection {
  nc: NatsConnection;
  js: JetStreamClient;
  jsm: JetStreamManager;
  /** True while connected to a server (false between a disconnect and the reconnect). */
  isConnected(): boolean;
  /** Drains subscriptions and closes the connection. */
  close(): Promise<void>;
}

/**
 * Connects to NATS and JetStream, reconnecting for ever (a service keeps running, and its
 * outbox keeps filling, while NATS is away), and logs every status change.
 */
export async function connectJetStream(options: JetStreamConnectOptions): Promise<JetStreamConnection> {
  const logger = options.logger ?? defaultLogger('nats');
  const nc = await connect({
    servers: options.servers,
    name: options.name,
    ...(inboxPrefixOf(options.user) ? { inboxPrefix: inboxPrefixOf(options.user) } : {}),
    ...(options.user !== undefined ? { user: options.user } : {}),
    ...(options.pass !== undefined ? { pass: options.pass } : {}),
    ...(options.token !== undefined ? { token: options.token } : {}),
    maxReconnectAttempts: -1,
    reconnectTimeWait: options.reconnectTimeWaitMs ?? 1_000,
    waitOnFirstConnect: true,
    timeout: options.timeoutMs ?? 5_000,
  });
  let connected = true;
  void (async () => {
    for await (const status of nc.status()) {
      if (status.type === 'disconnect') connected = false;
      if (status.type === 'reconnect') connected = true;
      if (status.type === 'ping' || status.type === 'slowConsumer') continue;
      const level = status.type === 'disconnect' || status.type === 'error' ? 'warn' : 'info';
      logger[level]({ nats: status.type, server: 'server' in status ? status.server : undefined }, `NATS ${status.type}`);
    }
  })().catch(() => undefined);
  const stopMending = mendClockSteps(nc, options.reconnectTimeWaitMs ?? 1_000);
  void nc.closed().finally(stopMending);
  const jsOptions = { timeout: options.timeoutMs ?? 5_000 };
  const jsm = await jetstreamManager(nc, jsOptions);
  return {
    nc,
    js: jetstream(nc, jsOptions),
    jsm,
    isConnected: () => connected && !nc.isClosed(),
    close: async () => {
      if (nc.isClosed()) return;
      await nc.drain();
    },
  };
}

/** What {@link mendClockSteps} reads of nats.js's server pool (not part of its public API). */
interface ServerPool {
  protocol?: { servers?: { getServers?(): Array<{ lastConnect: number }> } };
}

/**
 * nats.js spaces its attempts to dial a server by the wall clock (each server's `lastConnect`,
 * from `Date.now()`): after the clock steps back by S, a server it tried just before the step
 * is not dialled again for S. Found by the soak: a triage process whose clock came back from
 * three minutes ahead as the nats-servers lost power stayed disconnected for three minutes,
 * and its reports waited for triage over two minutes. Every `waitMs` (the monotonic timer),
 * a stamp from the future is put back to now, so a step delays a reconnect by one wait.
 * `libs/messaging/test/nats-outage.int.spec.ts` fails if nats.js's pool changes shape.
 */
function mendClockSteps(nc: NatsConnection, waitMs: number): () => void {
  const timer = setInterval(() => {
    const now = Date.now();
    for (const server of (nc as unknown as ServerPool).protocol?.servers?.getServers?.() ?? []) {
      if (server.lastConnect > now) server.lastConnect = now;
    }
  }, waitMs);
  timer.unref();
  return () => clearInterval(timer);
}

/**
 * `_INBOX.<user>`: replies to a user's requests (JetStream API answers, publish acks and the
 * messages its pull consumers fetch) come to its own prefix, so a broker permission can let
 * each user subscribe to its own replies only (deploy/kubernetes/base/nats/permissions.conf).
 * Without a user (development), or with one that is no subject token, the default `_INBOX`.
 */
export function inboxPrefixOf(user: string | undefined): string | undefined {
  return user !== undefined && /^[A-Za-z0-9_-]+$/.test(user) ? `_INBOX.${user}` : undefined;
}
