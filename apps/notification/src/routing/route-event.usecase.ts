import { Inject, Injectable } from '@nestjs/common';
import { compareTlp, comparePriority, type AnyEvent, type PriorityLevel, type Tlp } from '@watchfloor/contracts';
import { activeTraceparent, counter } from '@watchfloor/platform';
import { TransactionMemo } from '@watchfloor/persistence';
import type { EntityManager } from 'typeorm';
import { uuidv7 } from 'uuidv7';
import { CommitHooks } from '../commit-hooks';
import { DeliveryRepository } from '../deliveries/delivery.repository';
import type { SubscriptionRecord } from '../subscriptions/subscription.record';
import { SubscriptionRepository } from '../subscriptions/subscription.repository';
import { SenderWakeup } from '../wakeup';
import { IncidentProjection, type IncidentFacts } from './incident-projection';
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

/**
 * Routes one incident event, inside the consumer's transaction: updates the projection,
 * matches it against the live subscriptions of its type (TLP, filters), and writes the
 * redacted event once and one pending delivery per matching subscription. The sender is
 * woken after the commit.
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

  /** Returns how many deliveries it created. */
  async execute(manager: EntityManager, event: RoutableEvent): Promise<number> {
    const projected = await this.project(manager, event);
    const routed = await this.understand(manager, event, projected);
    const matched = (await this.liveSubscriptions(manager, event.type)).filter((subscription) => matches(subscription, routed));
    if (matched.length === 0) return 0;
    // Marked whatever the event said of itself: what is sent says it is an exercise when its incident is one.
    const outgoing = { ...redactForNotification(event), tlp: routed.tlp, ...(routed.exercise === undefined ? {} : { exercise: routed.exercise }) };
    const outgoingEvent = {
      eventId: event.id,
      type: event.type,
      ...(incidentIdOf(event) ? { incidentId: incidentIdOf(event) } : {}),
      tlp: routed.tlp,
      jurisdiction: event.jurisdiction,
      publishedAt: new Date(event.time),
      body: JSON.stringify(outgoing),
      ...(routed.exercise === undefined ? {} : { exercise: routed.exercise }),
      // The consumer's span, active here: the deliveries' spans are its children.
      traceparent: activeTraceparent(),
    };
    const created = await this.ledger.insertDeliveries(manager, outgoingEvent, matched.map((s) => ({ id: uuidv7(), subscriptionId: s.id, channel: s.channel })));
    if (created > 0) {
      routedTotal.inc({ type: event.type }, created);
      this.hooks.afterCommit(manager, () => this.wakeup.wake());
    }
    return created;
  }

  /** The live subscriptions to `type`, read once per batch transaction (see TransactionMemo). */
  private liveSubscriptions(manager: EntityManager, type: string): Promise<SubscriptionRecord[]> {
    return this.subscriptionReads.read(manager, type, () => this.subscriptions.forEventType(manager, type));
  }

  /** Keeps what later events need: reporting org, label, category (intake's), priority (triage's); returns the incident's facts when it wrote them. */
  private async project(manager: EntityManager, event: RoutableEvent): Promise<IncidentFacts | undefined> {
    switch (event.type) {
      case 'watchfloor.incident.reported.v1': {
        const { incidentId, reference, submission, submittedBy } = event.data;
        return this.incidents.recordDetails(manager, incidentId, 1, {
          reference,
          ...(submittedBy.org ? { reportingOrg: submittedBy.org } : {}),
          tlp: submission.tlp,
          category: submission.category,
          jurisdiction: submission.jurisdiction,
          ...(submission.exercise === undefined ? {} : { exercise: submission.exercise }),
        });
      }
      case 'watchfloor.incident.updated.v1': {
        const changes = event.data.changes;
        return this.incidents.recordDetails(manager, event.data.incidentId, event.data.version, {
          ...(changes?.tlp ? { tlp: changes.tlp } : {}),
          ...(changes?.category ? { category: changes.category } : {}),
        });
      }
      case 'watchfloor.incident.triaged.v1':
      case 'watchfloor.incident.escalated.v1':
        return this.incidents.recordPriority(manager, event.data.incidentId, event.data.version, event.data.priority);
      case 'watchfloor.incident.reprioritized.v1':
        return this.incidents.recordPriority(manager, event.data.incidentId, event.data.version, event.data.to);
      default:
        return undefined;
    }
  }

  private async understand(manager: EntityManager, event: RoutableEvent, projected: IncidentFacts | undefined): Promise<RoutedEvent> {
    const ids = event.type === 'watchfloor.incident.correlated.v1' ? event.data.incidentIds : [event.data.incidentId];
    const facts = projected ? [projected] : await this.incidents.find(manager, ids);
    const known = new Map(facts.filter((f) => f.reported).map((f) => [f.id, f] as const));
    const missing = ids.filter((id) => !known.has(id));
    if (missing.length > 0) throw new IncidentNotYetKnown(missing);
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
