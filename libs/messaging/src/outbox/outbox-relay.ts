import type { JetStreamClient, PubAck } from '@nats-io/jetstream';
import { SpanKind, type Tracer } from '@opentelemetry/api';
import type { Registry } from 'prom-client';
import type { DataSource, QueryRunner } from 'typeorm';
import { EventHeaders } from '@watchfloor/contracts';
import { dataSourceSchema, quoteIdent } from '@watchfloor/persistence';
import { contextOfTraceparent, recordFailure, TRACING_OFF } from '@watchfloor/platform';
import { toMsgHdrs, type HeaderMap } from '../headers';
import { defaultLogger, describeError, type MessagingLogger } from '../logger';
import { outboxMetrics, type OutboxMetrics } from '../metrics';

/** One outbox row the broker has acknowledged. */
export interface PublishedRow {
  eventId: string;
  /** Where it was published, e.g. `incident.triaged.ga`. */
  subject: string;
  createdAt: Date;
  ackedAt: Date;
  /** The broker had it already (a re-publish inside the duplicate window). */
  duplicate: boolean;
}

/** Settings of an {@link OutboxRelay}. */
export interface OutboxRelayOptions {
  dataSource: DataSource;
  js: JetStreamClient;
  /** Service name, for metrics and logs. */
  service: string;
  /** Schema holding the outbox (default: the data source's schema). */
  schema?: string;
  /** Rows claimed and published per transaction, all in flight at once (default 256). */
  batchSize?: number;
  /** Fallback poll when nobody kicks (default 500 ms). */
  pollIntervalMs?: number;
  /** Published rows are deleted after this long (default 7 days). */
  retentionMs?: number;
  /** How often old rows are cleaned up and the pending gauge sampled (default 60 s / 5 s). */
  cleanupIntervalMs?: number;
  pendingSampleIntervalMs?: number;
  /** Back-off after a failed batch: doubles from min to max (default 100 ms .. 5 s). */
  retryMinMs?: number;
  retryMaxMs?: number;
  /** PubAck timeout per message (default 5 s). */
  publishTimeoutMs?: number;
  registry?: Registry;
  logger?: MessagingLogger;
  /** Spans a `publish <subject>` per traced row (default: the no-op tracer). */
  tracer?: Tracer;
  /** Called after each committed batch with its rows (the benchmark measures 201 -> PubAck). */
  onPublished?(rows: PublishedRow[]): void;
  /**
   * Called after every PubAck of a batch and before the rows are marked published. Tests
   * throw here to act out a crash between publish and mark.
   */
  beforeMark?(rows: PublishedRow[]): void | Promise<void>;
}

interface ClaimedRow {
  seq: string;
  event_id: string;
  subject: string;
  payload: string;
  headers: HeaderMap;
  created_at: Date;
}

/** Failure of some publishes of a batch; the rows stay unpublished and are retried. */
export class OutboxPublishError extends Error {
  constructor(
    readonly failed: number,
    cause: unknown,
  ) {
    super(`${failed} outbox publish(es) failed: ${describeError(cause)}`, { cause });
    this.name = 'OutboxPublishError';
  }
}

/**
 * Publishes outbox rows to JetStream. Kicked in process right after a commit, with a short
 * poll as fallback. Each batch is claimed with `FOR UPDATE SKIP LOCKED` (so several replicas
 * can run it), published pipelined (every publish in flight, then every PubAck awaited),
 * and marked published in the same transaction. A crash between publish and mark
 * re-publishes the rows later: the broker drops repeats inside its duplicate window by
 * `Nats-Msg-Id`, and consumers' inboxes drop the rest. While NATS is down rows wait.
 */
export class OutboxRelay {
  private readonly table: string;
  private readonly batchSize: number;
  private readonly pollIntervalMs: number;
  private readonly logger: MessagingLogger;
  private readonly metrics: OutboxMetrics;
  private readonly tracer: Tracer;
  private running: Promise<void> | undefined;
  private stopped = true;
  private kicked = false;
  private wake: (() => void) | undefined;
  private lastCleanup = 0;
  private lastSample = 0;

  constructor(private readonly options: OutboxRelayOptions) {
    this.table = `${quoteIdent(options.schema ?? dataSourceSchema(options.dataSource))}.outbox`;
    this.batchSize = options.batchSize ?? 256;
    this.pollIntervalMs = options.pollIntervalMs ?? 500;
    this.logger = options.logger ?? defaultLogger('outbox-relay');
    this.metrics = outboxMetrics(options.registry);
    this.tracer = options.tracer ?? TRACING_OFF.tracer;
  }

  /** Starts the relay loop (idempotent). */
  start(): void {
    if (this.running) return;
    this.stopped = false;
    this.running = this.loop();
  }

  /** Asks for a publish now (after a commit that added events). Cheap; call freely. */
  kick(): void {
    this.kicked = true;
    this.wake?.();
  }

  /** Stops the loop after the batch in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.running;
    this.running = undefined;
  }

  /**
   * Publishes until nothing is left to claim; returns how many rows were published. For
   * tools (replay) and tests; a running service relies on {@link start}.
   */
  async publishPending(): Promise<number> {
    let total = 0;
    for (;;) {
      const published = await this.publishBatch();
      total += published;
      if (published < this.batchSize) return total;
    }
  }

  /** Rows not yet published. */
  async pending(): Promise<number> {
    const rows = await this.options.dataSource.query<Array<{ n: number }>>(`SELECT count(*)::int AS n FROM ${this.table} WHERE published_at IS NULL`);
    return rows[0]?.n ?? 0;
  }

  /** Deletes rows published longer ago than the retention; returns how many. */
  async cleanup(): Promise<number> {
    const retentionMs = this.options.retentionMs ?? 7 * 24 * 60 * 60 * 1000;
    let total = 0;
    // In slices, so a big backlog never holds one long transaction.
    for (;;) {
      // Counted through a CTE: TypeORM returns DELETE results in another shape than SELECT's.
      const rows = await this.options.dataSource.query<Array<{ n: number }>>(
        `WITH deleted AS (
           DELETE FROM ${this.table} WHERE seq IN (
             SELECT seq FROM ${this.table} WHERE published_at < clock_timestamp() - $1 * interval '1 millisecond' LIMIT 5000)
           RETURNING 1)
         SELECT count(*)::int AS n FROM deleted`,
        [retentionMs],
      );
      const deleted = rows[0]?.n ?? 0;
      total += deleted;
      if (deleted < 5000) return total;
    }
  }

  private async loop(): Promise<void> {
    let failures = 0;
    while (!this.stopped) {
      this.kicked = false;
      let published = 0;
      try {
        published = await this.publishBatch();
        failures = 0;
        await this.housekeeping();
      } catch (error) {
        failures += 1;
        const delay = this.retryDelay(failures);
        this.logger.warn({ err: describeError(error), retryInMs: delay, service: this.options.service }, 'outbox relay batch failed; rows stay queued');
        await this.sleep(delay, false);
        continue;
      }
      if (published >= this.batchSize || this.kicked) continue;
      await this.sleep(this.pollIntervalMs, true);
    }
  }

  private retryDelay(failures: number): number {
    const min = this.options.retryMinMs ?? 100;
    const max = this.options.retryMaxMs ?? 5_000;
    return Math.min(max, min * 2 ** Math.min(failures - 1, 16));
  }

  private sleep(ms: number, kickable: boolean): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      // While backing off from a failure, kicks must not turn the back-off into a busy loop.
      this.wake = kickable ? done : () => (this.stopped ? done() : undefined);
    });
  }

  private async housekeeping(): Promise<void> {
    const now = Date.now();
    if (now - this.lastSample >= (this.options.pendingSampleIntervalMs ?? 5_000)) {
      this.lastSample = now;
      this.metrics.pending.set({ service: this.options.service }, await this.pending());
    }
    if (now - this.lastCleanup >= (this.options.cleanupIntervalMs ?? 60_000)) {
      this.lastCleanup = now;
      const deleted = await this.cleanup();
      if (deleted > 0) this.logger.info({ deleted, service: this.options.service }, 'outbox rows past retention deleted');
    }
  }

  /** Claims, publishes and marks one batch; returns how many rows it published. */
  private async publishBatch(): Promise<number> {
    const queryRunner = this.options.dataSource.createQueryRunner();
    await queryRunner.connect();
    let published: PublishedRow[] = [];
    try {
      await queryRunner.startTransaction();
      try {
        const rows = await this.claim(queryRunner);
        if (rows.length > 0) published = await this.publishAndMark(queryRunner, rows);
        await queryRunner.commitTransaction();
      } catch (error) {
        if (queryRunner.isTransactionActive) await queryRunner.rollbackTransaction();
        throw error;
      }
    } finally {
      await queryRunner.release();
    }
    if (published.length > 0) this.reportPublished(published);
    return published.length;
  }

  private claim(queryRunner: QueryRunner): Promise<ClaimedRow[]> {
    return queryRunner.query(
      `SELECT seq, event_id, subject, payload::text AS payload, headers, created_at
         FROM ${this.table} WHERE published_at IS NULL ORDER BY seq LIMIT $1 FOR UPDATE SKIP LOCKED`,
      [this.batchSize],
    );
  }

  private async publishAndMark(queryRunner: QueryRunner, rows: ClaimedRow[]): Promise<PublishedRow[]> {
    const started = process.hrtime.bigint();
    const timeout = this.options.publishTimeoutMs ?? 5_000;
    // Pipelined: every publish is sent before the first PubAck is awaited.
    const settled = await Promise.allSettled(rows.map((row) => this.publish(row, timeout)));
    const ackedAt = new Date();
    this.metrics.publishSeconds.observe({ service: this.options.service }, Number(process.hrtime.bigint() - started) / 1e9);

    const acked: Array<{ row: ClaimedRow; ack: PubAck }> = [];
    const failed: Array<{ row: ClaimedRow; error: unknown }> = [];
    settled.forEach((outcome, index) => {
      const row = rows[index] as ClaimedRow;
      if (outcome.status === 'fulfilled') acked.push({ row, ack: outcome.value });
      else failed.push({ row, error: outcome.reason });
    });
    const published = acked.map(({ row, ack }) => ({ eventId: row.event_id, subject: row.subject, createdAt: row.created_at, ackedAt, duplicate: ack.duplicate }));

    if (published.length > 0) await this.options.beforeMark?.(published);
    if (acked.length > 0) {
      await queryRunner.query(
        `UPDATE ${this.table} SET published_at = clock_timestamp(), attempts = attempts + 1, last_error = NULL WHERE seq = ANY($1::bigint[])`,
        [acked.map(({ row }) => row.seq)],
      );
    }
    if (failed.length > 0) {
      const error = describeError(failed[0]?.error);
      await queryRunner.query(
        `UPDATE ${this.table} SET attempts = attempts + 1, last_error = $2 WHERE seq = ANY($1::bigint[])`,
        [failed.map(({ row }) => row.seq), error],
      );
      this.metrics.publishErrors.inc({ service: this.options.service }, failed.length);
      // Commit what was acknowledged, then let the loop back off.
      await queryRunner.commitTransaction();
      this.reportPublished(published);
      throw new OutboxPublishError(failed.length, failed[0]?.error);
    }
    return published;
  }

  /**
   * One row's publish. A row that carries a `traceparent` gets a PRODUCER span in that trace
   * (from send to PubAck); rows without one (checkpoints, timers) would only start traces of
   * one span each, so they get none.
   */
  private publish(row: ClaimedRow, timeout: number): Promise<PubAck> {
    const traceparent = row.headers[EventHeaders.traceparent];
    const span = traceparent === undefined ? undefined : this.tracer.startSpan(`publish ${row.subject}`, {
      kind: SpanKind.PRODUCER,
      attributes: {
        'messaging.system': 'nats',
        'messaging.operation.type': 'send',
        'messaging.destination.name': row.subject,
        'messaging.message.id': row.event_id,
      },
    }, contextOfTraceparent(traceparent));
    const published = this.options.js.publish(row.subject, row.payload, { msgID: row.event_id, headers: toMsgHdrs(row.headers), timeout });
    if (!span) return published;
    return published.then(
      (ack) => {
        if (ack.duplicate) span.setAttribute('watchfloor.duplicate', true);
        span.end();
        return ack;
      },
      (error: unknown) => {
        recordFailure(span, error);
        span.end();
        throw error;
      },
    );
  }

  private reportPublished(rows: PublishedRow[]): void {
    if (rows.length === 0) return;
    const labels = { service: this.options.service };
    this.metrics.published.inc(labels, rows.length);
    for (const row of rows) {
      this.metrics.lagSeconds.observe(labels, (row.ackedAt.getTime() - row.createdAt.getTime()) / 1000);
      // The flow of an incident, line by line, at debug: at info, a line per event in every
      // producer cost more than the event's publish (the audit log is the record of each event).
      this.logger.debug({ subject: row.subject, eventId: row.eventId, ...(row.duplicate ? { duplicate: true } : {}) }, 'event published');
    }
    try {
      this.options.onPublished?.(rows);
    } catch (error) {
      this.logger.warn({ err: describeError(error) }, 'onPublished hook failed');
    }
  }
}
