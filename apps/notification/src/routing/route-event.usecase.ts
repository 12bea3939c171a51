import { Inject, Injectable } from '@nestjs/common';
import { compareTlp, comparePriority, type AnyEvent, type PriorityLevel, type Tlp } from '@watchfloor/contracts';
import { activeTraceparent, counter } from '@watchfloor/platform';
import { TransactionMemo } from '@watchfloor/persistence';
import type { EntityManager } from 'typeorm';
import { uuidv7 } from 'uuidv7';
import { CommitHooks } from '../commit-hooks';
import { DeliveryRepository, type NewDelivery, type OutgoingEvent } from '../deliveries/delivery.repository';
import type { SubscriptionRecord } from '../subscriptions/subscription.record';
import { SubscriptionRepository } from '../subscriptions/subscription.repository';
import { SenderWakeup } from '../wakeup';
import { IncidentProjection, type DetailsWrite, type IncidentFacts, type PriorityWrite } from './incident-projection';
import { matches, type RoutedEvent } from './matching';
import type { RoutableEventType } from './routable-events';
import { redactForNotification } from './redaction';

/** An event of a type subscriptions may ask for. */
export type RoutableEvent = Extract<AnyEvent, { type: RoutableEventType }>;

const routedTotal = counter<'type'>({ name: 'notification_deliveries_created_total', help: 'Deliveries created, by event type.', labelNames: ['type'] });

/**
 * Thrown while an event arrives before the `incident.reported` of its incident: without the
 * reporting organisation and label it cannot be routed safely, so it is retried (consumer
 * back-off) until the report has been seen, and dead-lettered if it never is.
 */
export class IncidentNotYetKnown extends Error {
  constructor(ids: readonly string[]) {
    super(`incident.reported not yet seen for ${ids.join(', ')}; will retry`);
    this.name = 'IncidentNotYetKnown';
  }
}

/** An event of a batch, with its consumer span (the transport's `BatchMessage`). */
export interface EventInBatch {
  event: RoutableEvent;
  /** Runs `work` in the event's span. */
  within<T>(work: () => T): T;
}

/** An event's place in the batch once the projection has been written: the facts it sees. */
interface Projected extends EventInBatch {
  facts: IncidentFacts[];
}

/**
 * Routes incident events, inside the consumer's transaction: updates the projection,
 * matches each event against the live subscriptions of its type (TLP, filters), and writes
 * each redacted event once and one pending delivery per matching subscription. A batch
 * shares its statements (the projection's upserts, the facts read, the ledger's insert),
 * and each event has the effect it would have alone, in the batch's order: an event sees
 * the projection as the events before it left it. An event whose incident is not known yet
 * fails the batch (IncidentNotYetKnown), which the transport then hands over one event at a
 * time, so only that event waits. The sender is woken after the commit.
 */
@Injectable()
export class RouteEvent {
  constructor(
    @Inject(IncidentProjection) private readonly incidents: IncidentProjection,
    @Inject(SubscriptionRepository) private readonly subscriptions: SubscriptionRepository,
    @Inject(DeliveryRepository) private readonly ledger: DeliveryRepository,
    @Inject(CommitHooks) private readonly hooks: CommitHooks,
    @Inject(SenderWakeup) private readonly wakeup: SenderWakeup,
  ) {}

  private readonly subscriptionReads = new TransactionMemo<SubscriptionRecord[]>();

  /** Routes a batch of events; returns how many deliveries it created. */
  async executeAll(manager: EntityManager, batch: readonly EventInBatch[]): Promise<number> {
    // A consumer's batch is of one type; were it not, the events go one after the other.
    if (batch.length > 1 && batch.some(({ event }) => event.type !== batch[0]?.event.type)) {
      let created = 0;
      for (const item of batch) created += await this.executeAll(manager, [item]);
      return created;
    }
    const projected = await this.project(manager, batch);
    const unknown = projected.flatMap(({ event, facts }) => missingIncidents(event, facts));
    if (unknown.length > 0) throw new IncidentNotYetKnown(unknown);

    const outgoing: Array<{ type: RoutableEventType; event: OutgoingEvent; deliveries: NewDelivery[] }> = [];
    for (const { event, facts, within } of projected) {
      const routed = understand(event, facts);
      const matched = (await this.liveSubscriptions(manager, event.type)).filter((subscription) => matches(subscription, routed));
      if (matched.length === 0) continue;
      outgoing.push({
        type: event.type,
        event: within(() => outgoingEvent(event, routed)),
        deliveries: matched.map((s) => ({ id: uuidv7(), subscriptionId: s.id, channel: s.channel })),
      });
    }
    const created = await this.ledger.insertDeliveries(manager, outgoing);
    let total = 0;
    for (const { type, event } of outgoing) {
      const count = created.get(event.eventId.toLowerCase()) ?? 0;
      if (count > 0) routedTotal.inc({ type }, count);
      total += count;
    }
    if (total > 0) this.hooks.afterCommit(manager, () => this.wakeup.wake());
    return total;
  }

  /** The live subscriptions to `type`, read once per batch transaction (see TransactionMemo). */
  private liveSubscriptions(manager: EntityManager, type: string): Promise<SubscriptionRecord[]> {
    return this.subscriptionReads.read(manager, type, () => this.subscriptions.forEventType(manager, type));
  }

  /**
   * Keeps what later events need (reporting org, label, category: intake's; priority:
   * triage's) and gives each event the facts of its incident(s) as it sees them. The writes
   * go in rounds, one upsert per kind each: the first write of each incident, then the
   * second of those written twice, and so on, so each event's facts are its incident's
   * right after its own write, as alone. Events that write nothing read their incidents
   * once for the batch (a batch of them writes nothing).
   */
  private async project(manager: EntityManager, batch: readonly EventInBatch[]): Promise<Projected[]> {
    const writes = batch.map(({ event }) => projectionWrite(event));
    const facts: Array<IncidentFacts[] | undefined> = batch.map(() => undefined);
    const round = new Map<string, number>();
    const rounds: number[][] = [];
    writes.forEach((write, i) => {
      if (!write) return;
      const id = write.write.incidentId.toLowerCase();
      const n = round.get(id) ?? 0;
      round.set(id, n + 1);
      (rounds[n] ??= []).push(i);
    });
    for (const indexes of rounds) {
      const of = <K extends ProjectionWrite['kind']>(kind: K) =>
        indexes.flatMap((i) => (writes[i]?.kind === kind ? [writes[i] as Extract<ProjectionWrite, { kind: K }>] : []));
      // A consumer's batch is of one type: one of the two is empty and sends nothing.
      const details = await this.incidents.recordDetails(manager, of('details').map((w) => w.write));
      const priority = await this.incidents.recordPriority(manager, of('priority').map((w) => w.write));
      for (const i of indexes) {
        const write = writes[i] as ProjectionWrite;
        const row = (write.kind === 'details' ? details : priority).get(write.write.incidentId.toLowerCase());
        facts[i] = row ? [row] : [];
      }
    }
    const toRead = [...new Set(batch.flatMap(({ event }, i) => (facts[i] ? [] : incidentIdsOf(event).map((id) => id.toLowerCase()))))];
    const read = toRead.length === 0 ? new Map<string, IncidentFacts>() : new Map((await this.incidents.find(manager, toRead)).map((f) => [f.id, f] as const));
    return batch.map((item, i) => ({
      ...item,
      facts: facts[i] ?? incidentIdsOf(item.event).flatMap((id) => read.get(id.toLowerCase()) ?? []),
    }));
  }
}

type ProjectionWrite = { kind: 'details'; write: DetailsWrite } | { kind: 'priority'; write: PriorityWrite };

/** What `event` writes to the projection, if anything. */
function projectionWrite(event: RoutableEvent): ProjectionWrite | undefined {
  switch (event.type) {
    case 'watchfloor.incident.reported.v1': {
      const { incidentId, reference, submission, submittedBy } = event.data;
      const details = {
        reference,
        ...(submittedBy.org ? { reportingOrg: submittedBy.org } : {}),
        tlp: submission.tlp,
        category: submission.category,
        jurisdiction: submission.jurisdiction,
        ...(submission.exercise === undefined ? {} : { exercise: submission.exercise }),
      };
      return { kind: 'details', write: { incidentId, version: 1, details } };
    }
    case 'watchfloor.incident.updated.v1': {
      const changes = event.data.changes;
      const details = { ...(changes?.tlp ? { tlp: changes.tlp } : {}), ...(changes?.category ? { category: changes.category } : {}) };
      return { kind: 'details', write: { incidentId: event.data.incidentId, version: event.data.version, details } };
    }
    case 'watchfloor.incident.triaged.v1':
    case 'watchfloor.incident.escalated.v1':
      return { kind: 'priority', write: { incidentId: event.data.incidentId, version: event.data.version, priority: event.data.priority } };
    case 'watchfloor.incident.reprioritized.v1':
      return { kind: 'priority', write: { incidentId: event.data.incidentId, version: event.data.version, priority: event.data.to } };
    default:
      return undefined;
  }
}

function incidentIdsOf(event: RoutableEvent): readonly string[] {
  return event.type === 'watchfloor.incident.correlated.v1' ? event.data.incidentIds : [event.data.incidentId];
}

/** The incidents of `event` whose `incident.reported` has not been seen. */
function missingIncidents(event: RoutableEvent, facts: readonly IncidentFacts[]): string[] {
  const known = new Set(facts.filter((f) => f.reported).map((f) => f.id.toLowerCase()));
  return incidentIdsOf(event).filter((id) => !known.has(id.toLowerCase()));
}

function understand(event: RoutableEvent, facts: readonly IncidentFacts[]): RoutedEvent {
  const priority = priorityOf(event) ?? highest(facts.map((f) => f.priority));
  return {
    type: event.type,
    tlp: strictest([event.tlp, ...facts.map((f) => f.tlp)]),
    jurisdictions: event.type === 'watchfloor.incident.correlated.v1' ? event.data.jurisdictions : [event.jurisdiction],
    categories: facts.flatMap((f: IncidentFacts) => (f.category ? [f.category] : [])),
    ...(priority ? { priority } : {}),
    reportingOrgs: facts.map((f) => f.reportingOrg),
    publishedAt: new Date(event.time),
    ...exerciseOf(event, facts),
  };
}

/** The event as stored for its deliveries; run in the event's span, whose traceparent it keeps. */
function outgoingEvent(event: RoutableEvent, routed: RoutedEvent): OutgoingEvent {
  // Marked whatever the event said of itself: what is sent says it is an exercise when its incident is one.
  const body = { ...redactForNotification(event), tlp: routed.tlp, ...(routed.exercise === undefined ? {} : { exercise: routed.exercise }) };
  const incidentId = incidentIdOf(event);
  return {
    eventId: event.id,
    type: event.type,
    ...(incidentId ? { incidentId } : {}),
    tlp: routed.tlp,
    jurisdiction: event.jurisdiction,
    publishedAt: new Date(event.time),
    body: JSON.stringify(body),
    ...(routed.exercise === undefined ? {} : { exercise: routed.exercise }),
    // The consumer's span, active here: the deliveries' spans are its children.
    traceparent: activeTraceparent(),
  };
}

function incidentIdOf(event: RoutableEvent): string | undefined {
  return event.type === 'watchfloor.incident.correlated.v1' ? undefined : event.data.incidentId;
}

/** The priority an event states itself, if any. */
function priorityOf(event: RoutableEvent): PriorityLevel | undefined {
  switch (event.type) {
    case 'watchfloor.incident.triaged.v1':
    case 'watchfloor.incident.escalated.v1':
      return event.data.priority;
    case 'watchfloor.incident.reprioritized.v1':
      return event.data.to;
    default:
      return undefined;
  }
}

function highest(levels: ReadonlyArray<PriorityLevel | undefined>): PriorityLevel | undefined {
  return levels.reduce<PriorityLevel | undefined>((top, level) => (level && (!top || comparePriority(level, top) > 0) ? level : top), undefined);
}

/** The most restrictive label: an event never leaves less protected than its incident. */
function strictest(labels: ReadonlyArray<Tlp | undefined>): Tlp {
  return labels.reduce<Tlp>((top, label) => (label && compareTlp(label, top) > 0 ? label : top), 'clear');
}

/**
 * The exercise of an event: its own, else its incidents' (any of them: a cluster never mixes
 * exercises, and an event that is partly an exercise must not reach a real subscription).
 */
function exerciseOf(event: RoutableEvent, facts: readonly IncidentFacts[]): { exercise?: string } {
  const exercise = event.exercise ?? facts.find((f) => f.exercise !== undefined)?.exercise;
  return exercise === undefined ? {} : { exercise };
}
