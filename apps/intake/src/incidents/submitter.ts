import type { Caller } from '@watchfloor/platform';
import type { Submitter } from './incident.record';

/** The caller as recorded on what they submit. */
export function submitter(caller: Caller): Submitter {
  return caller.org === undefined ? { sub: caller.sub, name: caller.name } : { sub: caller.sub, name: caller.name, org: caller.org };
}
