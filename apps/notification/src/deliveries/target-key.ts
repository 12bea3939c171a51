import type { DeliveryChannel } from '@watchfloor/contracts';

/**
 * What a circuit breaker and the per-target concurrency are keyed by: a webhook's origin
 * (one dead host fails all its paths), or `smtp` for e-mail (one SMTP server carries it
 * all). The SQL of the claim computes the same key.
 */
export function targetKey(channel: DeliveryChannel, target: string): string {
  if (channel === 'email') return 'smtp';
  const match = /^[a-z]+:\/\/[^/?#]+/.exec(target);
  return match ? match[0] : target;
}
