import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { EventType } from '@watchfloor/contracts';
import { Outbox, OutboxRelay, type TypedEvent } from '@watchfloor/messaging';
import { DataSource, type EntityManager, type EntitySubscriberInterface, type QueryRunner } from 'typeorm';

/**
 * Triage's way into the outbox: adds the event in the caller's transaction and kicks the
 * relay right after that transaction commits. Event handlers run in the transport's
 * transaction and cannot kick after its commit themselves; without this their events would
 * wait for the relay's fallback poll. Only transactions that wrote an event kick: the
 * relay's own commits must not wake it again.
 */
@Injectable()
export class TriageOutbox implements OnModuleInit {
  private readonly wroteEvents = new WeakSet<QueryRunner>();

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(Outbox) private readonly outbox: Outbox,
    @Inject(OutboxRelay) private readonly relay: OutboxRelay,
  ) {}

  onModuleInit(): void {
    const subscriber: EntitySubscriberInterface = {
      afterTransactionCommit: ({ queryRunner }) => {
        if (!this.wroteEvents.delete(queryRunner)) return;
        this.relay.kick();
      },
      afterTransactionRollback: ({ queryRunner }) => {
        this.wroteEvents.delete(queryRunner);
      },
    };
    this.dataSource.subscribers.push(subscriber);
  }

  /** Adds `event` to the outbox in `manager`'s transaction. */
  async add<T extends EventType>(manager: EntityManager, event: TypedEvent<T>): Promise<void> {
    await this.outbox.add(manager, event);
    if (manager.queryRunner) this.wroteEvents.add(manager.queryRunner);
  }
}
