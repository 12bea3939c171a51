import { randomUUID } from 'node:crypto';
import { createEvent, EVENT_TYPES, normalizeSubmission, type AnyEvent, type Tlp } from '@watchfloor/contracts';
import { aSubmission, FULTON } from '@watchfloor/testing';
import { uuidv7 } from 'uuidv7';

const officer = { kind: 'user' as const, sub: 'triage-officer-1' };

/** Options of {@link anIncidentFlow}. */
export interface FlowOptions {
  incidentId?: string;
  tlp?: Tlp;
  jurisdiction?: string;
}

/**
 * The events of a realistic incident, in the order the services would publish them: a
 * report, an update, triage, assignment, a notification, acknowledgement, a note, a
 * reprioritisation, an escalation, a correlation, a failed notification, a subscription
 * change and the resolution. Every event type audit records appears once.
 */
export function anIncidentFlow(options: FlowOptions = {}): AnyEvent[] {
  const incidentId = options.incidentId ?? uuidv7();
  const tlp = options.tlp ?? 'amber';
  const jurisdiction = options.jurisdiction ?? FULTON;
  const at = new Date().toISOString();
  const meta = (source: string, subject = incidentId) => ({ source: `/watchfloor/${source}`, subject, tlp, jurisdiction, correlationId: `req-${incidentId}` });
  const submission = normalizeSubmission(aSubmission({ tlp, jurisdiction }));
  const triaged = createEvent(
    'watchfloor.incident.triaged.v1',
    {
      incidentId, version: 2, priority: 'high', score: 40, model: 'nciss-notional-1',
      breakdown: [{ factor: 'functionalImpact', input: 'minimal_critical', value: 40, weight: 6, contribution: 40 }],
      adjustments: [{ kind: 'phase', from: 'low', to: 'high', reason: 'election_day and e_pollbook' }],
      phase: 'election_day', ackDeadline: at,
    },
    meta('triage'),
  );
  const delivery = { deliveryId: randomUUID(), subscriptionId: randomUUID(), eventId: triaged.id, eventType: triaged.type, channel: 'webhook' as const };
  return [
    createEvent('watchfloor.incident.reported.v1', { incidentId, version: 1, reference: 'WF-2026-000042', submission, submittedBy: { sub: 'official-7', org: 'fulton-county' }, receivedAt: at }, meta('intake')),
    createEvent('watchfloor.incident.updated.v1', { incidentId, version: 2, updateId: randomUUID(), origin: 'update', note: 'The vendor confirmed it.', submittedBy: { sub: 'official-7' }, receivedAt: at }, meta('intake')),
    triaged,
    createEvent('watchfloor.incident.assigned.v1', { incidentId, version: 3, assignee: 'triage-officer-1', by: { kind: 'system', rule: 'oncall_rotation' } }, meta('triage')),
    createEvent('watchfloor.notification.delivered.v1', { ...delivery, incidentId, attempts: 1, latencyMs: 84 }, meta('notification', delivery.deliveryId)),
    createEvent('watchfloor.incident.acknowledged.v1', { incidentId, version: 4, by: officer, at, withinDeadline: true }, meta('triage')),
    createEvent('watchfloor.incident.note_added.v1', { incidentId, version: 5, noteId: randomUUID(), author: { sub: 'triage-officer-1' }, text: 'Called the clerk.', tlp: 'amber+strict' }, { ...meta('triage'), tlp: 'amber+strict' }),
    createEvent('watchfloor.incident.reprioritized.v1', { incidentId, version: 6, from: 'high', to: 'severe', reason: 'Confirmed credential theft', by: officer, computed: 'high' }, meta('triage')),
    createEvent('watchfloor.incident.escalated.v1', { incidentId, version: 7, priority: 'severe', level: 1, reason: 'ack_deadline_missed', deadline: at }, meta('triage')),
    createEvent(
      'watchfloor.incident.correlated.v1',
      { clusterId: randomUUID(), version: 1, incidentIds: [incidentId, uuidv7()], jurisdictions: [jurisdiction, 'ocd-division/country:us/state:ga/county:cobb'], sharedObservables: [{ type: 'domain', value: 'sos-georgia-verify.com' }], campaign: false },
      meta('triage', randomUUID()),
    ),
    createEvent('watchfloor.notification.failed.v1', { ...delivery, deliveryId: randomUUID(), attempts: 5, latencyMs: 184_000, error: 'HTTP 503', deadLettered: true, httpStatus: 503 }, meta('notification')),
    createEvent('watchfloor.subscription.changed.v1', { subscriptionId: delivery.subscriptionId, action: 'updated', by: officer, channel: 'webhook', changedFields: ['filter'] }, { ...meta('notification', delivery.subscriptionId), tlp: 'clear', jurisdiction: 'ocd-division/country:us' }),
    createEvent('watchfloor.incident.status_changed.v1', { incidentId, version: 8, from: 'acknowledged', to: 'resolved', resolution: 'contained', by: officer }, meta('triage')),
  ];
}

/** The purge of an exercise after a tabletop (docs/exercises.md), as triage records it. */
export function anExercisePurge(exercise = 'ga-tabletop-2026-10'): AnyEvent {
  return createEvent(
    'watchfloor.exercise.purged.v1',
    { exercise, service: 'triage', removed: { incidents: 1 }, incidentIds: [uuidv7()], by: { kind: 'user', sub: 'admin-1' }, purgedAt: new Date().toISOString() },
    { source: '/watchfloor/triage', subject: exercise, tlp: 'clear', jurisdiction: 'ocd-division/country:us', correlationId: `req-${exercise}` },
  );
}

/** Every type audit records: the catalogue without its own checkpoints. */
export const RECORDED_TYPES = EVENT_TYPES.filter((type) => type !== 'watchfloor.audit.checkpoint.v1');
