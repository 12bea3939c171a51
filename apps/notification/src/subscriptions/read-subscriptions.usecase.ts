import { Inject, Injectable } from '@nestjs/common';
import { isUuid } from '@watchfloor/contracts';
import type { Caller } from '@watchfloor/platform';
import { decodeCursor, encodeCursor, type Page } from '../page';
import { Transactions } from '../transactions';
import type { PageQuery } from '@watchfloor/platform';
import { canManage, isAdmin } from './subscription-access';
import { subscriptionNotFound } from './subscription.errors';
import { type SubscriptionView, subscriptionView } from './subscription.record';
import { SubscriptionRepository } from './subscription.repository';

/** The caller's subscriptions (an admin's: all of them). */
@Injectable()
export class ReadSubscriptions {
  constructor(
    @Inject(Transactions) private readonly transactions: Transactions,
    @Inject(SubscriptionRepository) private readonly subscriptions: SubscriptionRepository,
  ) {}

  async list(caller: Caller, query: PageQuery): Promise<Page<SubscriptionView>> {
    const limit = query.limit ?? 50;
    const before = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
    const rows = await this.subscriptions.list(this.transactions.manager, {
      ...(isAdmin(caller) ? {} : { ownerSub: caller.sub }),
      ...(before ? { before: { createdAt: before.at, id: before.id } } : {}),
      limit,
    });
    const last = rows.at(-1);
    return {
      items: rows.map(subscriptionView),
      nextCursor: rows.length === limit && last ? encodeCursor({ at: last.createdAt.toISOString(), id: last.id }) : null,
    };
  }

  async get(caller: Caller, id: string): Promise<SubscriptionView> {
    const subscription = isUuid(id) ? await this.subscriptions.findById(this.transactions.manager, id) : undefined;
    if (!subscription || !canManage(caller, subscription)) throw subscriptionNotFound();
    return subscriptionView(subscription);
  }
}
