import type { IncidentRecord } from './incident.record';
import type { IncidentUpdateRecord } from './incident.repository';

/** `GET /v1/incidents/:id`: the submission plus its tracking status and updates. */
export function incidentView(incident: IncidentRecord, updates: readonly IncidentUpdateRecord[]) {
  return {
    id: incident.id,
    reference: incident.reference,
    ...incident.submission,
    status: incident.status,
    priority: incident.priority,
    acknowledgedAt: incident.acknowledgedAt,
    history: incident.history,
    submittedBy: { sub: incident.submittedBy.sub, name: incident.submittedBy.name, org: incident.submittedBy.org },
    receivedAt: incident.receivedAt,
    updatedAt: incident.updatedAt,
    version: incident.version,
    updates: updates.map((update) => ({
      id: update.id,
      note: update.note,
      ...update.changes,
      submittedBy: update.submittedBy,
      receivedAt: update.createdAt,
    })),
  };
}

/** One item of `GET /v1/incidents`. */
export function incidentSummary(incident: IncidentRecord) {
  return {
    id: incident.id,
    reference: incident.reference,
    title: incident.submission.title,
    category: incident.submission.category,
    jurisdiction: incident.jurisdiction,
    tlp: incident.tlp,
    status: incident.status,
    priority: incident.priority,
    acknowledgedAt: incident.acknowledgedAt,
    receivedAt: incident.receivedAt,
    updatedAt: incident.updatedAt,
    ...(incident.submission.exercise === undefined ? {} : { exercise: incident.submission.exercise }),
  };
}
