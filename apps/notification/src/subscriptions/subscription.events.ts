import { createEvent, OCD_ID_ROOT, type SubscriptionAction } from '@watchfloor/contracts';
import type { Caller } from '@watchfloor/platform';
import type { SubscriptionRecord } from './subscription.record';

/** CloudEvents `source` of everything notification publishes. */
export const NOTIFICATION_SOURCE = '/watchfloor/notification';

/** `subscription.changed.v1`: what changed and who changed it, never the secret or the target. */
export function subscriptionChanged(input: {
  subscription: SubscriptionRecord;
  action: SubscriptionAction;
  caller: Caller;
  changedFields?: string[];
  correlationId: string;
}) {
  const { subscription, caller } = input;
  return createEvent(
    'watchfloor.subscription.changed.v1',
    {
      subscriptionId: subscription.id,
      action: input.action,
      by: { kind: 'user', sub: caller.sub, ...(caller.org === undefined ? {} : { org: caller.org }) },
      channel: subscription.channel,
      ...(input.changedFields ? { changedFields: input.changedFields } : {}),
      ...(subscription.exercise === undefined ? {} : { exercise: subscription.exercise }),
    },
    // Who subscribes to what is operational detail, not for public release.
    { source: NOTIFICATION_SOURCE, subject: subscription.id, tlp: 'amber', jurisdiction: OCD_ID_ROOT, correlationId: input.correlationId },
  );
}
