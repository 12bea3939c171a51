import { Inject, Injectable } from '@nestjs/common';
import type { AnyEvent } from '@watchfloor/contracts';
import { Outbox } from '@watchfloor/messaging';
import { DataSource, type EntityManager } from 'typeorm';

/** Emits an event in the current transaction (through the outbox). */
export type Emit = (event: AnyEvent) => Promise<void>;

/**
 * Notification's writes: a transaction in which work may `emit` events into the outbox
 * (the outbox kicks the relay right after the commit).
 */
@Injectable()
export class Transactions {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(Outbox) private readonly outbox: Outbox,
  ) {}

  /** For reads outside a transaction. */
  get manager(): EntityManager {
    return this.dataSource.manager;
  }

  async run<T>(work: (manager: EntityManager, emit: Emit) => Promise<T>): Promise<T> {
    const result = await this.dataSource.transaction((manager) => work(manager, (event) => this.outbox.add(manager, event)));
    return result;
  }
}
