import type { Caller } from '@watchfloor/platform';
import type { Submitter } from './incident.record';

/** The caller as recorded on what they submit. */
export function submitter(caller: Caller): Submitter {
  return caller.org === undefined ? { sub: caller.sub, name: caller.name } : { sub: caller.sub, name: caller.name, org: caller.org };
}

/**
 * Whose `source.system` + `source.reference` namespace a submission is in: its organisation,
 * else the caller. Must equal the `source_owner` column Postgres derives from `submitted_by`.
 */
export function sourceOwner(submittedBy: Submitter): string {
  return submittedBy.org === undefined ? `sub:${submittedBy.sub}` : `org:${submittedBy.org}`;
}
