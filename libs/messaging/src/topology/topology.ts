import { AckPolicy, DeliverPolicy, DiscardPolicy, ReplayPolicy, RetentionPolicy, StorageType, type ConsumerConfig, type StreamConfig } from '@nats-io/jetstream';
import { deadLetterSubject, type CloudEvent, type EventType } from '@watchfloor/contracts';
import { baseSubjectOf } from '../events';
import type { ConsumerDefinition } from './consumer-definition';
import { DEADLETTER_STREAM, STREAM_SPECS, type StreamSpec } from './streams';

const NANOS_PER_MS = 1_000_000;

/**
 * The one place that turns the names of EVENTS.md into names on a server. With a
 * namespace (tests sharing one server) streams become `<ns>_INCIDENTS` and subjects
 * `<ns>.incident.>`; production uses none. Publish, consume, dead letters and
 * provisioning all ask this object, so a namespace is applied everywhere or nowhere.
 */
export class Topology {
  readonly namespace: string;
  /** Copies of each stream kept by a JetStream cluster (1 on a single server, 3 in production). */
  readonly replicas: number;

  constructor(namespace = '', options: { replicas?: number } = {}) {
    if (namespace && !/^[A-Za-z0-9_-]+$/.test(namespace)) throw new Error(`namespace "${namespace}" may hold only letters, digits, _ and -`);
    const replicas = options.replicas ?? 1;
    if (!Number.isInteger(replicas) || replicas < 1 || replicas > 5) throw new Error(`stream replicas must be 1 to 5, not ${replicas}`);
    this.namespace = namespace;
    this.replicas = replicas;
  }

  /** `INCIDENTS` -> `<ns>_INCIDENTS`. */
  streamName(base: string): string {
    return this.namespace ? `${this.namespace}_${base}` : base;
  }

  /** `incident.reported.ga` -> `<ns>.incident.reported.ga`. */
  subject(base: string): string {
    return this.namespace ? `${this.namespace}.${base}` : base;
  }

  /** The inverse of {@link subject}. */
  baseSubject(subject: string): string {
    const prefix = `${this.namespace}.`;
    return this.namespace && subject.startsWith(prefix) ? subject.slice(prefix.length) : subject;
  }

  /** Where an event is published: its type's subject with its jurisdiction's state token. */
  eventSubject(event: Pick<CloudEvent<EventType>, 'type' | 'jurisdiction'>): string {
    return this.subject(baseSubjectOf(event));
  }

  /** `deadletter.<service>.<original subject>`, the original without namespace. */
  deadLetterSubject(service: string, originalSubject: string): string {
    return this.subject(deadLetterSubject(service, this.baseSubject(originalSubject)));
  }

  /** Name of the dead-letter stream on this server. */
  deadLetterStream(): string {
    return this.streamName(DEADLETTER_STREAM);
  }

  /** Stream configurations, named and with subjects for this namespace. */
  streamConfigs(specs: readonly StreamSpec[] = STREAM_SPECS): Array<Partial<StreamConfig> & { name: string }> {
    return specs.map((spec) => ({
      name: this.streamName(spec.name),
      subjects: [this.subject(spec.subjects)],
      storage: StorageType.File,
      retention: RetentionPolicy.Limits,
      discard: DiscardPolicy.Old,
      max_age: (spec.maxAgeMs ?? 0) * NANOS_PER_MS,
      ...(spec.duplicateWindowMs !== undefined ? { duplicate_window: spec.duplicateWindowMs * NANOS_PER_MS } : {}),
      num_replicas: this.replicas,
    }));
  }

  /** Stream a consumer lives on. */
  consumerStream(definition: ConsumerDefinition): string {
    return this.streamName(definition.stream);
  }

  /**
   * Server configuration of a durable pull consumer. On nats-server 2.9 `backoff` also
   * sets the ack wait of each delivery (ack_wait becomes backoff[0]), so the transport
   * signals progress on long handlers and pulls only what it can start at once.
   */
  consumerConfig(definition: ConsumerDefinition): Partial<ConsumerConfig> {
    return {
      durable_name: definition.durable,
      description: `${definition.service} handles ${definition.eventType}`,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      replay_policy: ReplayPolicy.Instant,
      filter_subject: this.subject(definition.filterSubject),
      max_deliver: definition.maxDeliver,
      ack_wait: (definition.backoffMs[0] ?? 30_000) * NANOS_PER_MS,
      backoff: definition.backoffMs.map((ms) => ms * NANOS_PER_MS),
      max_ack_pending: 1_000,
    };
  }
}
