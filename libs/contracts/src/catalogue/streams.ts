/** JetStream streams of EVENTS.md. */
export const STREAM_NAMES = ['INCIDENTS', 'NOTIFICATIONS', 'AUDIT', 'DEADLETTER'] as const;
export type StreamName = (typeof STREAM_NAMES)[number];

/** What EVENTS.md fixes about a stream; the messaging lib turns it into a stream config. */
export interface StreamDescriptor {
  name: StreamName;
  /** First subject token of every message in the stream, e.g. `incident`. */
  subjectRoot: string;
  /** The stream's subject filter, e.g. `incident.>`. */
  subjects: string;
  /** Re-publishes of a `Nats-Msg-Id` inside this window are dropped by the broker. */
  duplicateWindowMs?: number;
  /** Limits retention by age; absent means kept until limits of the deployment. */
  maxAgeMs?: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

function stream(name: StreamName, subjectRoot: string, limits: Pick<StreamDescriptor, 'duplicateWindowMs' | 'maxAgeMs'> = {}): StreamDescriptor {
  return { name, subjectRoot, subjects: `${subjectRoot}.>`, ...limits };
}

/** The four streams, by name. */
export const STREAMS: Readonly<Record<StreamName, StreamDescriptor>> = {
  INCIDENTS: stream('INCIDENTS', 'incident', { duplicateWindowMs: 10 * 60 * 1000, maxAgeMs: 400 * DAY_MS }),
  NOTIFICATIONS: stream('NOTIFICATIONS', 'notification'),
  AUDIT: stream('AUDIT', 'audit'),
  DEADLETTER: stream('DEADLETTER', 'deadletter', { maxAgeMs: 30 * DAY_MS }),
};

/** Subject root of each stream (`incident`, `notification`, `audit`, `deadletter`). */
export const STREAM_SUBJECT_ROOTS: Readonly<Record<StreamName, string>> = {
  INCIDENTS: STREAMS.INCIDENTS.subjectRoot,
  NOTIFICATIONS: STREAMS.NOTIFICATIONS.subjectRoot,
  AUDIT: STREAMS.AUDIT.subjectRoot,
  DEADLETTER: STREAMS.DEADLETTER.subjectRoot,
};

const SERVICE_PATTERN = /^[a-z][a-z0-9-]{0,31}$/;

/** `deadletter.<service>.<original subject>`, where a service puts a message it will never handle. */
export function deadLetterSubject(service: string, originalSubject: string): string {
  if (!SERVICE_PATTERN.test(service)) throw new TypeError(`Invalid service name "${service}"`);
  return `${STREAMS.DEADLETTER.subjectRoot}.${service}.${originalSubject}`;
}

/** The CloudEvents `source` of a service's events: `/watchfloor/<service>`. */
export function eventSource(service: string): string {
  if (!SERVICE_PATTERN.test(service)) throw new TypeError(`Invalid service name "${service}"`);
  return `/watchfloor/${service}`;
}
