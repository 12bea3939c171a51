import { STREAM_NAMES, STREAMS } from '@watchfloor/contracts';

/** What EVENTS.md says about one stream; names and subjects unprefixed. */
export interface StreamSpec {
  name: string;
  /** The one subject filter of the stream, e.g. `incident.>`. */
  subjects: string;
  /** Absent: kept until the deployment's limits. */
  maxAgeMs?: number;
  /** Absent: the server's default (2 min). */
  duplicateWindowMs?: number;
}

/** The streams of the contract (file storage, limits retention are added by the topology). */
export const STREAM_SPECS: readonly StreamSpec[] = STREAM_NAMES.map((name) => {
  const { subjects, maxAgeMs, duplicateWindowMs } = STREAMS[name];
  return { name, subjects, ...(maxAgeMs !== undefined ? { maxAgeMs } : {}), ...(duplicateWindowMs !== undefined ? { duplicateWindowMs } : {}) };
});

/** Name of the dead-letter stream (unprefixed). */
export const DEADLETTER_STREAM = STREAMS.DEADLETTER.name;
