import { Inject, Injectable } from '@nestjs/common';
import { Outbox } from '@watchfloor/messaging';
import { Clock } from '@watchfloor/persistence';
import { compareTlp, createEvent, type EventOf, type EventPayloadMap, type EventType, type Initiator, type Tlp } from '@watchfloor/contracts';
import type { EntityManager } from 'typeorm';
import type { IncidentPatch, TriageIncident } from './incident.record';
import { IncidentRepository } from './incident.repository';
import { TimelineRepository, type TimelineEntry } from './timeline.repository';

/** CloudEvents `source` of everything triage publishes. */
export const TRIAGE_SOURCE = '/watchfloor/triage';

/** Event types about one incident, whose data carries `incidentId` and `version`. */
export type IncidentEventType = {
  [K in EventType]: EventPayloadMap[K] extends { incidentId: string; version: number } ? K : never;
}[EventType];

/** A change to one incident and the catalogue event announcing it. */
export interface IncidentChange<K extends IncidentEventType> {
  type: K;
  /** The event's data; `incidentId` and `version` are filled in. */
  data: Omit<EventPayloadMap[K], 'incidentId' | 'version'>;
  /** Columns to set (version and `updated_at` are kept by the store). */
  set?: IncidentPatch;
  /** Who caused it, for the timeline (defaults to the event's `by` when it has one). */
  by?: Initiator;
  correlationId: string;
  at?: Date;
  /** The event's TLP when it must be stricter than the incident's (a red note on an amber incident). */
  tlp?: Tlp;
}

/**
 * The one way to change a triage incident: in the caller's transaction, on a row the caller
 * has locked (`IncidentRepository.findById(manager, id, { lock: true })`), it sets the
 * columns, bumps `version`, writes the timeline entry and puts the event, carrying the new
 * version, in the outbox. The messaging lib kicks the relay after the commit.
 */
@Injectable()
export class IncidentChanges {
  constructor(
    @Inject(IncidentRepository) private readonly incidents: IncidentRepository,
    @Inject(TimelineRepository) private readonly timeline: TimelineRepository,
    @Inject(Outbox) private readonly outbox: Outbox,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  /** Applies `change` to `incident` (as locked and read in this transaction); returns the new row and its event. */
  async apply<K extends IncidentEventType>(
    manager: EntityManager,
    incident: TriageIncident,
    change: IncidentChange<K>,
  ): Promise<{ incident: TriageIncident; event: EventOf<K> }> {
    const { incident: updated, events } = await this.applyAll(manager, incident, [change]);
    return { incident: updated, event: events[0] as EventOf<K> };
  }

  /**
   * Applies `changes` one after the other (each its own version, timeline entry and event)
   * in one statement: a new incident is triaged and assigned in one round trip.
   */
  async applyAll(
    manager: EntityManager,
    incident: TriageIncident,
    changes: ReadonlyArray<IncidentChange<IncidentEventType>>,
  ): Promise<{ incident: TriageIncident; events: Array<EventOf<IncidentEventType>> }> {
    const plan = this.plan(incident, changes);
    const updated = await this.incidents.update(manager, incident.id, incident.version, plan.patch, plan.at, plan.entries);
    if (!updated) throw new Error(`incident ${incident.id} changed under a lock (expected version ${incident.version})`);
    await this.outbox.addAll(manager, plan.events);
    return { incident: updated, events: plan.events };
  }

  /**
   * {@link applyAll} for several incidents (distinct, each locked or just inserted in this
   * transaction) in one statement: a batch of new incidents is triaged in one round trip.
   * Each incident's events go to the outbox inside its `within` (its message's span).
   */
  async applyAllMany(
    manager: EntityManager,
    items: ReadonlyArray<{ incident: TriageIncident; changes: ReadonlyArray<IncidentChange<IncidentEventType>>; within?: <T>(work: () => T) => T }>,
  ): Promise<Array<{ incident: TriageIncident; events: Array<EventOf<IncidentEventType>> }>> {
    const planned = items.map((item) => ({ item, plan: this.plan(item.incident, item.changes) }));
    const updated = await this.incidents.updateAll(
      manager,
      planned.map(({ item: { incident }, plan }) => ({ id: incident.id, expectedVersion: incident.version, patch: plan.patch, at: plan.at, entries: plan.entries })),
    );
    for (const { item: { incident } } of planned) {
      if (!updated.has(incident.id)) throw new Error(`incident ${incident.id} changed under a lock (expected version ${incident.version})`);
    }
    for (const { item, plan } of planned) {
      const within = item.within ?? (<T>(work: () => T) => work());
      await within(() => this.outbox.addAll(manager, plan.events));
    }
    return planned.map(({ plan }) => ({ incident: plan.next, events: plan.events }));
  }

  /** The changes as one patch, with each change's event and timeline entry (each its own version, in order). */
  private plan(incident: TriageIncident, changes: ReadonlyArray<IncidentChange<IncidentEventType>>) {
    // Each event is built first (its version is the next one) so that the row and its timeline entries are one round trip.
    let next = incident;
    let patch: IncidentPatch = {};
    const events: Array<EventOf<IncidentEventType>> = [];
    const entries: TimelineEntry[] = [];
    for (const change of changes) {
      next = { ...next, ...definedOnly(change.set ?? {}), version: next.version + 1 };
      patch = { ...patch, ...definedOnly(change.set ?? {}) };
      const event = this.eventFor(next, change.type, change.data, change.correlationId, change.at ?? this.clock.now(), change.tlp);
      events.push(event);
      entries.push({ incidentId: incident.id, version: next.version, ...this.entryOf(event, change.by) });
    }
    const at = changes.at(-1)?.at ?? this.clock.now();
    return { next: { ...next, updatedAt: at }, patch, events, entries, at };
  }

  /** The event of `type` about `incident` at its current version (for a newly inserted incident). */
  eventFor<K extends IncidentEventType>(
    incident: TriageIncident,
    type: K,
    data: Omit<EventPayloadMap[K], 'incidentId' | 'version'>,
    correlationId: string,
    at: Date = this.clock.now(),
    tlp?: Tlp,
  ): EventOf<K> {
    const exercise = incident.submission.exercise;
    const payload = { ...data, incidentId: incident.id, version: incident.version, ...(exercise === undefined ? {} : { exercise }) } as EventPayloadMap[K];
    return createEvent(type, payload, {
      source: TRIAGE_SOURCE,
      subject: incident.id,
      tlp: tlp && compareTlp(tlp, incident.tlp) > 0 ? tlp : incident.tlp,
      jurisdiction: incident.jurisdiction,
      correlationId,
      time: at,
    });
  }

  /** Writes the timeline entry and the outbox row of an event already built. */
  async record<K extends IncidentEventType>(manager: EntityManager, incident: TriageIncident, event: EventOf<K>, by?: Initiator): Promise<void> {
    await this.timeline.add(manager, { incidentId: incident.id, version: incident.version, ...this.entryOf(event, by) });
    await this.outbox.add(manager, event);
  }

  private entryOf<K extends IncidentEventType>(event: EventOf<K>, by?: Initiator): Omit<TimelineEntry, 'incidentId' | 'version'> {
    const data = event.data as { by?: Initiator };
    return { type: event.type, eventId: event.id, by: by ?? data.by ?? null, data: event.data, at: new Date(event.time) };
  }
}

/** The patch without its undefined fields (undefined means "leave as is"). */
function definedOnly(patch: IncidentPatch): IncidentPatch {
  return Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined));
}
