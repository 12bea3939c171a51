import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { inTransaction } from '@watchfloor/persistence';
import { ROOT_LOGGER } from '@watchfloor/platform';
import type { Logger } from 'pino';
import { DataSource, type EntityManager } from 'typeorm';
import { SecretBox } from './secret-box';

/** What one start-up's re-seal did, and what is left under a key other than the current one. */
export interface ResealReport {
  /** Sealed values (secret or previous secret) moved from the previous key to the current one. */
  resealed: number;
  /** Subscriptions whose row was rewritten. */
  subscriptions: number;
  batches: number;
  /** Subscriptions with a value naming the previous key that still does not open (altered): left as they are. */
  unreadable: string[];
  /** Live subscriptions with a value under another key than the current one, after the pass (at most 20 named). */
  remaining: { count: number; subscriptions: Array<{ id: string; keyIds: string[] }> };
}

interface SealedRow {
  id: string;
  secret: string | null;
  previous_secret: string | null;
}

/** Rows re-sealed per transaction: short transactions, few round trips. */
export const RESEAL_BATCH_SIZE = 100;

/** Sweeps that skip locked rows, at most: a row another transaction held during one is taken by the next. */
const MAX_SWEEPS = 5;

/**
 * Moves every signing secret sealed under `NOTIFICATION_SECRET_KEY_PREVIOUS` to
 * `NOTIFICATION_SECRET_KEY`, in the background after start-up, in batches of
 * {@link RESEAL_BATCH_SIZE} rows, one transaction each. Rows are taken `FOR UPDATE
 * SKIP LOCKED`, so replicas starting together share the work; a last sweep waits for the
 * rows others held, so a pass ends only when every value it could open is re-sealed. The
 * secrets stay the same, only their sealing changes: no version, no `subscription.changed`.
 * Without a previous key it only checks, and warns about values under a key it cannot open.
 */
@Injectable()
export class ResealSecrets implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger: Logger;
  private stopping = false;
  private pass: Promise<ResealReport | undefined> | undefined;

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(SecretBox) private readonly box: SecretBox,
    @Inject(ROOT_LOGGER) logger: Logger,
  ) {
    this.logger = logger.child({ component: 'reseal-secrets' });
  }

  onApplicationBootstrap(): void {
    this.pass = this.run().catch((error: unknown) => {
      // Nothing is lost: values under the previous key still open; the next start-up tries again.
      this.logger.error({ err: error }, 're-sealing signing secrets failed; they still open with the previous key, the next start-up tries again');
      return undefined;
    });
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    await this.pass;
  }

  /** The start-up pass's report, when it has ended (undefined if it failed). */
  finished(): Promise<ResealReport | undefined> {
    return this.pass ?? Promise.resolve(undefined);
  }

  async run(): Promise<ResealReport> {
    const report: ResealReport = { resealed: 0, subscriptions: 0, batches: 0, unreadable: [], remaining: { count: 0, subscriptions: [] } };
    const previous = this.box.previousKeyId;
    if (previous !== undefined) {
      this.logger.info({ previousKeyId: previous, keyId: this.box.keyId }, 're-sealing signing secrets sealed under the previous key');
      const unreadable = new Set<string>();
      for (let sweep = 0; sweep < MAX_SWEEPS && !this.stopping; sweep++) {
        const before = report.resealed;
        await this.sweep(previous, report, unreadable, { skipLocked: true });
        if (report.resealed === before) break;
      }
      // Rows other replicas (or an API change) held are theirs to finish: wait for them, and
      // take any they left, so that what this pass reports as remaining is really left.
      await this.sweep(previous, report, unreadable, { skipLocked: false });
      report.unreadable = [...unreadable];
    }
    report.remaining = await this.remaining();
    this.logReport(report);
    return report;
  }

  /**
   * One keyset walk over the rows naming the previous key, a batch per transaction. Rows
   * are locked in id order, so replicas waiting on each other's rows cannot deadlock.
   */
  private async sweep(previous: string, report: ResealReport, unreadable: Set<string>, options: { skipLocked: boolean }): Promise<void> {
    let after = '00000000-0000-0000-0000-000000000000';
    while (!this.stopping) {
      const last = await inTransaction(this.dataSource, (manager) => this.batch(manager, previous, after, report, unreadable, options.skipLocked));
      if (last === undefined) return;
      after = last;
    }
  }

  /** Re-seals one batch; returns the last id it took, or undefined when none was left. */
  private async batch(manager: EntityManager, previous: string, after: string, report: ResealReport, unreadable: Set<string>, skipLocked: boolean): Promise<string | undefined> {
    const rows = await manager.query<SealedRow[]>(
      `SELECT id, secret, previous_secret FROM subscription
        WHERE id > $1 AND (split_part(secret, '.', 2) = $2 OR split_part(previous_secret, '.', 2) = $2)
        ORDER BY id LIMIT $3 FOR UPDATE${skipLocked ? ' SKIP LOCKED' : ''}`,
      [after, previous, RESEAL_BATCH_SIZE],
    );
    for (const row of rows) {
      let secret: string | null;
      let previousSecret: string | null;
      try {
        secret = row.secret === null ? null : this.box.reseal(row.secret);
        previousSecret = row.previous_secret === null ? null : this.box.reseal(row.previous_secret);
      } catch (error) {
        unreadable.add(row.id);
        this.logger.error({ subscriptionId: row.id, err: error }, `the signing secret of subscription ${row.id} names the previous key but does not open with it; left as it is`);
        continue;
      }
      await manager.query('UPDATE subscription SET secret = $2, previous_secret = $3 WHERE id = $1', [row.id, secret, previousSecret]);
      report.resealed += Number(secret !== row.secret) + Number(previousSecret !== row.previous_secret);
      report.subscriptions += 1;
    }
    if (rows.length > 0) report.batches += 1;
    return rows[rows.length - 1]?.id;
  }

  /** Live subscriptions holding a value under another key than the current one. */
  private async remaining(): Promise<ResealReport['remaining']> {
    const rows = await this.dataSource.query<Array<{ id: string; key_ids: string[]; total: string }>>(
      `SELECT id, array_remove(ARRAY[
                CASE WHEN split_part(secret, '.', 2) <> $1 THEN split_part(secret, '.', 2) END,
                CASE WHEN split_part(previous_secret, '.', 2) <> $1 THEN split_part(previous_secret, '.', 2) END], NULL) AS key_ids,
              count(*) OVER () AS total
         FROM subscription
        WHERE deleted_at IS NULL AND (split_part(secret, '.', 2) <> $1 OR split_part(previous_secret, '.', 2) <> $1)
        ORDER BY id LIMIT 20`,
      [this.box.keyId],
    );
    return { count: Number(rows[0]?.total ?? 0), subscriptions: rows.map((row) => ({ id: row.id, keyIds: row.key_ids })) };
  }

  private logReport(report: ResealReport): void {
    const counts = { resealed: report.resealed, subscriptions: report.subscriptions, batches: report.batches, unreadable: report.unreadable.length, remaining: report.remaining.count };
    if (this.box.previousKeyId !== undefined) {
      this.logger.info(counts, `re-sealed ${report.resealed} signing secrets of ${report.subscriptions} subscriptions in ${report.batches} batches under key ${this.box.keyId}`);
    }
    if (report.remaining.count > 0) {
      this.logger.warn(
        { ...counts, keyId: this.box.keyId, previousKeyId: this.box.previousKeyId, subscriptions: report.remaining.subscriptions },
        `${report.remaining.count} subscriptions hold a signing secret sealed under another key than the current one: keep NOTIFICATION_SECRET_KEY_PREVIOUS until a start-up re-seals them (or rotate their secrets if the key is lost)`,
      );
    } else if (this.box.previousKeyId !== undefined) {
      this.logger.info(counts, 'every signing secret is sealed under the current key: NOTIFICATION_SECRET_KEY_PREVIOUS may be removed');
    }
  }
}
