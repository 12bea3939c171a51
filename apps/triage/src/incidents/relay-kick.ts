import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { OutboxRelay } from '@watchfloor/messaging';
import { DataSource, type EntitySubscriberInterface } from 'typeorm';

/**
 * Kicks the outbox relay after every commit of triage's data source. Event handlers run
 * in the transport's transaction and cannot kick after its commit themselves; without this
 * their events would wait for the relay's fallback poll.
 */
@Injectable()
export class RelayKickOnCommit implements OnModuleInit {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(OutboxRelay) private readonly relay: OutboxRelay,
  ) {}

  onModuleInit(): void {
    const subscriber: EntitySubscriberInterface = { afterTransactionCommit: () => this.relay.kick() };
    this.dataSource.subscribers.push(subscriber);
  }
}
