import { Inject, Injectable } from '@nestjs/common';
import { isUuid } from '@watchfloor/contracts';
import { ConflictError, NotFoundError, type Caller } from '@watchfloor/platform';
import { decodeCursor, encodeCursor, type Page } from '../page';
import { isAdmin } from '../subscriptions/subscription-access';
import { Transactions } from '../transactions';
import { SenderWakeup } from '../wakeup';
import type { DeliveryView } from './delivery.record';
import { DeliveryRepository } from './delivery.repository';
import { Sender } from './sender';
import type { ListDeliveriesQuery } from './dto/list-deliveries.query';

const deliveryNotFound = () => new NotFoundError('DELIVERY.NOT_FOUND', 'No such delivery.');

/** The delivery log of the caller's subscriptions (an admin's: all), and manual retries. */
@Injectable()
export class Deliveries {
  constructor(
    @Inject(Transactions) private readonly transactions: Transactions,
    @Inject(DeliveryRepository) private readonly deliveries: DeliveryRepository,
    @Inject(SenderWakeup) private readonly wakeup: SenderWakeup,
    @Inject(Sender) private readonly sender: Sender,
  ) {}

  async list(caller: Caller, query: ListDeliveriesQuery): Promise<Page<DeliveryView>> {
    const limit = query.limit ?? 50;
    const items = await this.deliveries.list(this.transactions.manager, {
      ...(isAdmin(caller) ? {} : { ownerSub: caller.sub }),
      ...(query.subscriptionId ? { subscriptionId: query.subscriptionId } : {}),
      ...(query.eventId ? { eventId: query.eventId } : {}),
      ...(query.status ? { status: query.status } : {}),
      ...(query.cursor !== undefined ? { before: decodeCursor(query.cursor) } : {}),
      limit,
    });
    const last = items.at(-1);
    return { items, nextCursor: items.length === limit && last ? encodeCursor({ at: last.createdAt, id: last.id }) : null };
  }

  async get(caller: Caller, id: string): Promise<DeliveryView> {
    const { ownerSub: _owner, target: _target, subscriptionDeleted: _deleted, ...view } = await this.load(caller, id);
    return view;
  }

  /**
   * Sends a failed or dead delivery again, now, with a fresh retry budget and the same
   * `webhook-id`. A delivered one is not sent twice (409), nor one of a deleted subscription.
   */
  async retry(caller: Caller, id: string): Promise<DeliveryView> {
    const view = await this.transactions.run(async (manager) => {
      const delivery = await this.load(caller, id, manager);
      if (delivery.subscriptionDeleted) throw new ConflictError('DELIVERY.SUBSCRIPTION_DELETED', 'The subscription was deleted; nothing is sent for it.');
      if (delivery.status !== 'failed' && delivery.status !== 'dead') {
        throw new ConflictError('DELIVERY.NOT_RETRYABLE', `Only failed or dead deliveries are retried; this one is ${delivery.status}.`);
      }
      await this.deliveries.resetForRetry(manager, id);
      // Someone asked for an attempt: make one, even if the target's circuit is open.
      this.sender.resetTarget(delivery.channel, delivery.target);
      const { ownerSub: _owner, target: _target, subscriptionDeleted: _deleted, ...rest } = delivery;
      return { ...rest, status: 'pending' as const, nextAttemptAt: new Date().toISOString() };
    });
    this.wakeup.wake();
    return view;
  }

  private async load(caller: Caller, id: string, manager = this.transactions.manager) {
    const delivery = isUuid(id) ? await this.deliveries.findById(manager, id) : undefined;
    if (!delivery || (!isAdmin(caller) && delivery.ownerSub !== caller.sub)) throw deliveryNotFound();
    return delivery;
  }
}
