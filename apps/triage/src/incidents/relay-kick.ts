import { Inject, Injectable } from '@nestjs/common';
import type { EventType } from '@watchfloor/contracts';
import { Outbox, type TypedEvent } from '@watchfloor/messaging';
import type { EntityManager } from 'typeorm';

/**
 * Triage's way into the outbox: adds the event in the caller's transaction. The messaging
 * lib kicks the relay right after that transaction commits, also when it is an event
 * handler's transaction opened by the transport.
 */
@Injectable()
export class TriageOutbox {
  constructor(@Inject(Outbox) private readonly outbox: Outbox) {}

  /** Adds `event` to the outbox in `manager`'s transaction. */
  async add<T extends EventType>(manager: EntityManager, event: TypedEvent<T>): Promise<void> {
    await this.outbox.add(manager, event);
  }
}
