import {
  createEvent,
  normalizeSubmission,
  type EventOf,
  type IncidentCategory,
  type PriorityLevel,
  type Tlp,
} from '@watchfloor/contracts';
import { aSubmission, FULTON } from '@watchfloor/testing';
import { uuidv7 } from 'uuidv7';

/** What a test says about an incident; the events below describe it. */
export interface TestIncident {
  id: string;
  jurisdiction: string;
  tlp: Tlp;
  category: IncidentCategory;
  org?: string;
  reference: string;
}

let sequence = 0;

/** An incident for events; defaults: Fulton County, phishing, amber, reported by `fulton-elections`. */
export function anIncident(overrides: Partial<TestIncident> = {}): TestIncident {
  sequence += 1;
  return {
    id: uuidv7(),
    jurisdiction: FULTON,
    tlp: 'amber',
    category: 'phishing',
    org: 'fulton-elections',
    reference: `WF-2026-${String(100000 + sequence).slice(-6)}`,
    ...overrides,
  };
}

const meta = (incident: TestIncident, source: string, tlp: Tlp = incident.tlp) => ({
  source,
  subject: incident.id,
  tlp,
  jurisdiction: incident.jurisdiction,
  correlationId: uuidv7(),
});

/** `incident.reported.v1` as intake publishes it (reporter contact details included). */
export function reported(incident: TestIncident): EventOf<'watchfloor.incident.reported.v1'> {
  const submission = normalizeSubmission(aSubmission({ jurisdiction: incident.jurisdiction, tlp: incident.tlp, category: incident.category }));
  return createEvent(
    'watchfloor.incident.reported.v1',
    {
      incidentId: incident.id,
      version: 1,
      reference: incident.reference,
      submission,
      submittedBy: { sub: 'clerk-1', ...(incident.org ? { org: incident.org } : {}) },
      receivedAt: new Date().toISOString(),
    },
    meta(incident, '/watchfloor/intake'),
  );
}

/** `incident.triaged.v1` as triage publishes it. */
export function triaged(incident: TestIncident, priority: PriorityLevel = 'high', version = 1): EventOf<'watchfloor.incident.triaged.v1'> {
  return createEvent(
    'watchfloor.incident.triaged.v1',
    {
      incidentId: incident.id,
      version,
      priority,
      score: 62.5,
      model: 'nciss-notional-1',
      breakdown: [{ factor: 'functionalImpact', input: 'significant_critical', value: 70, weight: 6, contribution: 62.5 }],
      adjustments: [],
      phase: 'election_day',
      ackDeadline: new Date(Date.now() + 15 * 60_000).toISOString(),
    },
    meta(incident, '/watchfloor/triage'),
  );
}

/** `incident.acknowledged.v1`. */
export function acknowledged(incident: TestIncident, version = 2): EventOf<'watchfloor.incident.acknowledged.v1'> {
  return createEvent(
    'watchfloor.incident.acknowledged.v1',
    { incidentId: incident.id, version, by: { kind: 'user', sub: 'officer-1' }, at: new Date().toISOString(), withinDeadline: true },
    meta(incident, '/watchfloor/triage'),
  );
}

/** `incident.status_changed.v1`, closed as a false positive with a note of the floor's own. */
export function closedWithNote(incident: TestIncident, note: string, version = 3): EventOf<'watchfloor.incident.status_changed.v1'> {
  return createEvent(
    'watchfloor.incident.status_changed.v1',
    { incidentId: incident.id, version, from: 'investigating', to: 'closed', note, by: { kind: 'user', sub: 'officer-1' } },
    meta(incident, '/watchfloor/triage'),
  );
}

/** `incident.updated.v1` for a re-submission that replaced the label (and maybe the category). */
export function relabelled(incident: TestIncident, tlp: Tlp, version = 2): EventOf<'watchfloor.incident.updated.v1'> {
  return resubmitted(incident, { tlp }, version, tlp);
}

/** `incident.updated.v1` for a re-submission that changed the category only (the label stays). */
export function recategorised(incident: TestIncident, category: IncidentCategory, version: number): EventOf<'watchfloor.incident.updated.v1'> {
  return resubmitted(incident, { category }, version);
}

function resubmitted(incident: TestIncident, changes: { tlp?: Tlp; category?: IncidentCategory }, version: number, tlp?: Tlp): EventOf<'watchfloor.incident.updated.v1'> {
  return createEvent(
    'watchfloor.incident.updated.v1',
    {
      incidentId: incident.id,
      version,
      updateId: uuidv7(),
      origin: 'resubmission',
      changes,
      submittedBy: { sub: 'clerk-1', ...(incident.org ? { org: incident.org } : {}) },
      receivedAt: new Date().toISOString(),
    },
    meta(incident, '/watchfloor/intake', tlp),
  );
}

/** `incident.correlated.v1` for a cluster of these incidents (sharing a domain). */
export function correlated(incidents: TestIncident[], tlp: Tlp = 'amber'): EventOf<'watchfloor.incident.correlated.v1'> {
  const clusterId = uuidv7();
  const jurisdictions = [...new Set(incidents.map((i) => i.jurisdiction))];
  return createEvent(
    'watchfloor.incident.correlated.v1',
    { clusterId, version: 1, incidentIds: incidents.map((i) => i.id), jurisdictions, sharedObservables: [{ type: 'domain', value: 'sos-georgia-verify.com' }], campaign: jurisdictions.length >= 3 },
    { source: '/watchfloor/triage', subject: clusterId, tlp, jurisdiction: 'ocd-division/country:us/state:ga', correlationId: uuidv7() },
  );
}
