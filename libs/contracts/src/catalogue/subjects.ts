import { NATIONAL_STATE_TOKEN } from '../jurisdiction/ocd-id';
import { EVENT_CATALOGUE, type EventType } from './catalogue';

const STATE_TOKEN_PATTERN = /^[a-z]{2}$/;

/**
 * The NATS subject of an event: `<subjectBase>.<state token>`, e.g. `incident.reported.ga`.
 * Types published nationally ignore the token (`notification.subscription.us`). Throws on a
 * token that is not two lower-case letters, which could otherwise inject subject wildcards.
 */
export function subjectFor(type: EventType, stateToken: string): string {
  const { subjectBase, nationalOnly } = EVENT_CATALOGUE[type];
  if (nationalOnly) return `${subjectBase}.${NATIONAL_STATE_TOKEN}`;
  if (!STATE_TOKEN_PATTERN.test(stateToken)) throw new TypeError(`Invalid state token "${stateToken}"`);
  return `${subjectBase}.${stateToken}`;
}

/** Filter subject matching one event type in every state, e.g. `incident.reported.>`. */
export function filterSubjectFor(type: EventType): string {
  return `${EVENT_CATALOGUE[type].subjectBase}.>`;
}

/** Durable consumer name `<service>--<event>`, e.g. `triage--incident-reported`. */
export function consumerNameFor(service: string, type: EventType): string {
  return `${service}--${EVENT_CATALOGUE[type].subjectBase.replace(/\./g, '-')}`;
}
