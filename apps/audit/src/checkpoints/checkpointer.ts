import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { createEvent } from '@watchfloor/contracts';
import { Outbox } from '@watchfloor/messaging';
import { inTransaction } from '@watchfloor/persistence';
import { CONFIG, ROOT_LOGGER } from '@watchfloor/platform';
import type { Logger } from 'pino';
import { DataSource, type EntityManager } from 'typeorm';
import { lockChainHead, moveChainHead, type ChainHead } from '../chain/chain-head';
import { signCheckpoint, type SignedCheckpoint } from '../chain/checkpoint-signature';
import type { AuditEnv } from '../config';
import { SIGNING_KEY } from './checkpoint.tokens';
import type { SigningKey } from './signing-key';

/** The jurisdiction of events about the whole deployment. */
const NATIONAL = 'ocd-division/country:us';

/**
 * Signs the chain head with the Ed25519 key: after every `AUDIT_CHECKPOINT_EVERY` entries
 * (in the append's own transaction) and every `AUDIT_CHECKPOINT_INTERVAL_MS` when anything
 * was appended since. Each checkpoint is stored and published as `audit.checkpoint.v1`
 * through the outbox, so it leaves the database for places a database superuser cannot
 * rewrite.
 */
@Injectable()
export class Checkpointer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<unknown> | undefined;

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(Outbox) private readonly outbox: Outbox,
    @Inject(SIGNING_KEY) private readonly key: SigningKey,
    @Inject(CONFIG) private readonly config: AuditEnv,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.ticking ??= this.checkpointNow()
        .catch((error: unknown) => this.logger.warn({ err: error }, 'periodic checkpoint failed; will try again'))
        .finally(() => (this.ticking = undefined));
    }, this.config.AUDIT_CHECKPOINT_INTERVAL_MS);
    this.timer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.ticking;
  }

  /** True when the head is `AUDIT_CHECKPOINT_EVERY` entries or more past the last checkpoint. */
  isDue(head: ChainHead): boolean {
    return head.sequence - head.checkpointedSequence >= this.config.AUDIT_CHECKPOINT_EVERY;
  }

  /**
   * Signs `head` inside the caller's transaction, which must hold the head lock: stores the
   * checkpoint and puts its event in the outbox. Returns the head, now checkpointed.
   */
  async sign(manager: EntityManager, head: ChainHead): Promise<{ head: ChainHead; checkpoint: SignedCheckpoint }> {
    const checkpoint: SignedCheckpoint = {
      sequence: head.sequence,
      hash: head.hash,
      at: new Date().toISOString(),
      signature: signCheckpoint(this.key.privateKey, head.sequence, head.hash),
      keyId: this.key.keyId,
    };
    const event = createEvent('watchfloor.audit.checkpoint.v1', checkpoint, {
      source: '/watchfloor/audit',
      subject: 'audit-chain',
      tlp: 'clear',
      jurisdiction: NATIONAL,
      correlationId: `audit-chain/${head.sequence}`,
    });
    await manager.query('INSERT INTO checkpoint (sequence, hash, signed_at, signature, key_id, event_id) VALUES ($1, $2, $3, $4, $5, $6)', [
      checkpoint.sequence, checkpoint.hash, checkpoint.at, checkpoint.signature, checkpoint.keyId, event.id,
    ]);
    await this.outbox.add(manager, event);
    return { head: { ...head, checkpointedSequence: head.sequence }, checkpoint };
  }

  /** Signs the head now when entries were appended since the last checkpoint; the checkpoint, or none. */
  async checkpointNow(): Promise<SignedCheckpoint | undefined> {
    const checkpoint = await inTransaction(this.dataSource, async (manager) => {
      const head = await lockChainHead(manager);
      if (head.sequence <= head.checkpointedSequence) return undefined;
      const signed = await this.sign(manager, head);
      await moveChainHead(manager, signed.head);
      return signed.checkpoint;
    });
    return checkpoint;
  }
}
