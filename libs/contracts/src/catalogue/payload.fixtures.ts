import type { EventPayloadMap, EventType } from './catalogue';

const incidentId = '0193b0f4-6c1e-7d3a-9f5e-2b1c4d5e6f70';
const otherIncidentId = '0193b0f4-6c1e-7d3a-9f5e-2b1c4d5e6f71';
const uuid = (last: string): string => `0193b0f4-6c1e-7d3a-9f5e-${last.padStart(12, '0')}`;
const user = { kind: 'user' as const, sub: 'triage-officer-1' };
const at = '2024-11-05T14:05:07.123Z';

/** A valid payload of every event type, as plain JSON: for specs, and the examples the event property tests mutate. */
export const VALID_PAYLOADS: { [K in EventType]: EventPayloadMap[K] } = {
  'watchfloor.incident.reported.v1': {
    incidentId,
    version: 1,
    reference: 'WF-2024-000042',
    submission: {
      title: 'Phishing e-mails to poll workers',
      description: 'A fake portal.',
      category: 'phishing',
      jurisdiction: 'ocd-division/country:us/state:ga/county:fulton',
      affectedAssets: ['email_office_it'],
      impacts: { functionalImpact: 'no_impact_to_services', informationImpact: 'suspected_not_identified', recoverability: 'regular' },
      observables: [{ type: 'domain', value: 'fulton-vote.com' }],
      tlp: 'amber',
      reporter: { name: 'Pat Clerk', email: 'pat@fultoncountyga.gov' },
    },
    submittedBy: { sub: 'official-7', org: 'fulton-county' },
    receivedAt: at,
  },
  'watchfloor.incident.updated.v1': {
    incidentId,
    version: 2,
    updateId: uuid('1'),
    origin: 'update',
    note: 'The vendor confirmed it.',
    submittedBy: { sub: 'official-7' },
    receivedAt: at,
  },
  'watchfloor.incident.triaged.v1': {
    incidentId,
    version: 2,
    priority: 'high',
    score: 40,
    model: 'nciss-notional-1',
    breakdown: [{ factor: 'functionalImpact', input: 'minimal_critical', value: 40, weight: 6, contribution: 40 }],
    adjustments: [{ kind: 'phase', from: 'low', to: 'high', reason: 'election_day and e_pollbook' }],
    phase: 'election_day',
    ackDeadline: at,
  },
  'watchfloor.incident.reprioritized.v1': { incidentId, version: 3, from: 'high', to: 'severe', reason: 'Confirmed credential theft', by: user, computed: 'high' },
  'watchfloor.incident.assigned.v1': { incidentId, version: 3, assignee: 'triage-officer-2', by: { kind: 'system', rule: 'oncall_rotation' } },
  'watchfloor.incident.acknowledged.v1': { incidentId, version: 4, by: user, at, withinDeadline: true },
  'watchfloor.incident.escalated.v1': { incidentId, version: 4, priority: 'severe', level: 1, reason: 'ack_deadline_missed', deadline: at },
  'watchfloor.incident.status_changed.v1': { incidentId, version: 5, from: 'mitigated', to: 'resolved', resolution: 'contained', by: user },
  'watchfloor.incident.correlated.v1': {
    clusterId: uuid('9'),
    version: 1,
    incidentIds: [incidentId, otherIncidentId],
    jurisdictions: ['ocd-division/country:us/state:ga/county:fulton', 'ocd-division/country:us/state:ga/county:cobb'],
    sharedObservables: [{ type: 'domain', value: 'fulton-vote.com' }],
    campaign: false,
  },
  'watchfloor.incident.note_added.v1': { incidentId, version: 6, noteId: uuid('2'), author: { sub: 'triage-officer-1' }, text: 'Called the clerk.', tlp: 'amber+strict' },
  'watchfloor.notification.delivered.v1': {
    deliveryId: uuid('3'),
    subscriptionId: uuid('4'),
    eventId: uuid('5'),
    eventType: 'watchfloor.incident.triaged.v1',
    incidentId,
    channel: 'webhook',
    attempts: 1,
    latencyMs: 84,
  },
  'watchfloor.notification.failed.v1': {
    deliveryId: uuid('3'),
    subscriptionId: uuid('4'),
    eventId: uuid('5'),
    eventType: 'watchfloor.incident.triaged.v1',
    channel: 'webhook',
    attempts: 5,
    latencyMs: 184_000,
    error: 'HTTP 503',
    deadLettered: true,
    httpStatus: 503,
  },
  'watchfloor.subscription.changed.v1': { subscriptionId: uuid('4'), action: 'updated', by: user, channel: 'email', changedFields: ['filter'] },
  'watchfloor.audit.checkpoint.v1': {
    sequence: 1024,
    hash: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    at,
    signature: `${'A'.repeat(86)}==`,
  },
  'watchfloor.exercise.purged.v1': {
    exercise: 'ga-tabletop-2026-10',
    service: 'triage',
    removed: { incidents: 2, rotations: 1 },
    incidentIds: [incidentId, otherIncidentId],
    by: { kind: 'user', sub: 'admin-1' },
    purgedAt: at,
  },
};
