import type { Initiator, PrincipalRef } from '@watchfloor/contracts';
import type { Caller } from '@watchfloor/platform';

/** The caller as the `by` of an event. */
export function userInitiator(caller: Caller): Initiator {
  return caller.org === undefined ? { kind: 'user', sub: caller.sub } : { kind: 'user', sub: caller.sub, org: caller.org };
}

/** The caller as a note's author. */
export function principalOf(caller: Caller): PrincipalRef {
  return caller.org === undefined ? { sub: caller.sub } : { sub: caller.sub, org: caller.org };
}
