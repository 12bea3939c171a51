import type { DeliveryChannel } from '@watchfloor/contracts';
import { checkEmailTarget, checkWebhookTarget, type TargetPolicy } from '../targets/target-policy';
import { invalidTarget } from './subscription.errors';

/** The target normalised for its channel, or a 400 naming `target`. */
export function acceptedTarget(channel: DeliveryChannel, target: string, policy: TargetPolicy): string {
  const result = channel === 'webhook' ? checkWebhookTarget(target, policy) : checkEmailTarget(target);
  if (!result.ok) throw invalidTarget(result.message);
  return result.value;
}
