import { EVENT_CATALOGUE, EVENT_TYPES, STREAMS, type EventType, type StreamName } from '@watchfloor/contracts';

/** One durable pull consumer the subscription needs on the server. */
export interface PlannedConsumer {
  /** The stream as named on the server (`INCIDENTS`, or `<ns>_INCIDENTS`). */
  stream: string;
  durable: string;
  /** Its one filter subject (nats-server 2.9 allows only one per consumer). */
  filterSubject: string;
  /** The event types it may deliver: anything else on it is refused as invalid. */
  types: readonly EventType[];
}

/** What to consume. */
export interface ConsumerPlanInput {
  durableName: string;
  types: readonly EventType[];
  /** Two-letter state tokens (`ga`, `us` for national scope); absent or empty: every state. */
  states?: readonly string[];
  /** The deployment's `NATS_NAMESPACE`, if it has one (stream `<ns>_INCIDENTS`, subjects `<ns>.incident.>`). */
  namespace?: string;
}

const DURABLE_NAME = /^[A-Za-z0-9_-]{1,200}$/;
const STATE_TOKEN = /^[a-z]{2}$/;
const NAMESPACE = /^[A-Za-z0-9_-]+$/;

function typesOfStream(stream: StreamName): EventType[] {
  return EVENT_TYPES.filter((type) => EVENT_CATALOGUE[type].stream === stream);
}

/**
 * The consumers a subscription needs. nats-server 2.9 gives a consumer one filter subject,
 * so each (event type, state) pair gets its own consumer, except that every event type of a
 * stream collapses into one (`incident.>`, or `incident.*.ga` for one state). With one
 * consumer it is named `durableName`; with several, `durableName--<type>[-<state>]`.
 */
export function planConsumers(input: ConsumerPlanInput): PlannedConsumer[] {
  const { durableName, namespace = '' } = input;
  if (!DURABLE_NAME.test(durableName)) throw new TypeError(`durableName "${durableName}" may hold only letters, digits, _ and - (at most 200)`);
  if (namespace && !NAMESPACE.test(namespace)) throw new TypeError(`namespace "${namespace}" may hold only letters, digits, _ and -`);
  const types = [...new Set(input.types)];
  if (types.length === 0) throw new TypeError('subscribe to at least one event type');
  const states = [...new Set(input.states ?? [])];
  for (const state of states) if (!STATE_TOKEN.test(state)) throw new TypeError(`state "${state}" must be a two-letter lower-case state token such as "ga" (or "us")`);
  const prefix = (subject: string) => (namespace ? `${namespace}.${subject}` : subject);
  const streamName = (stream: StreamName) => (namespace ? `${namespace}_${stream}` : stream);
  const stateTokens: Array<string | undefined> = states.length > 0 ? states : [undefined];

  const subjects: Array<{ stream: StreamName; base: string; types: EventType[]; label: string }> = [];
  const byStream = new Map<StreamName, EventType[]>();
  for (const type of types) byStream.set(EVENT_CATALOGUE[type].stream, [...(byStream.get(EVENT_CATALOGUE[type].stream) ?? []), type]);
  for (const [stream, wanted] of byStream) {
    if (wanted.length === typesOfStream(stream).length) {
      subjects.push({ stream, base: `${STREAMS[stream].subjectRoot}.*`, types: wanted, label: STREAMS[stream].subjectRoot });
    } else {
      for (const type of wanted) subjects.push({ stream, base: EVENT_CATALOGUE[type].subjectBase, types: [type], label: EVENT_CATALOGUE[type].subjectBase.replace(/\./g, '-') });
    }
  }

  const planned = subjects.flatMap(({ stream, base, types: deliverable, label }) =>
    stateTokens.map((state) => {
      // `incident.*` + every state is `incident.>`: the same messages, one token shorter to match.
      const filter = state !== undefined ? `${base}.${state}` : base.endsWith('.*') ? `${base.slice(0, -2)}.>` : `${base}.>`;
      return { stream: streamName(stream), filterSubject: prefix(filter), types: deliverable, suffix: state !== undefined ? `${label}-${state}` : label };
    }),
  );
  return planned.map(({ suffix, ...consumer }) => ({ ...consumer, durable: planned.length === 1 ? durableName : `${durableName}--${suffix}` }));
}
