import type { TriageIncident } from './incident.record';
import type { TimelineEntry } from './timeline.repository';

/** A note as staff read it. */
export interface NoteView {
  id: string;
  author: { sub: string; org?: string };
  text: string;
  tlp: string;
  createdAt: string;
}

/** The cluster an incident is in, as its detail shows it. */
export interface ClusterSummary {
  id: string;
  version: number;
  campaign: boolean;
  jurisdictions: string[];
  incidentIds: string[];
  sharedObservables: Array<{ type: string; value: string }>;
}

const iso = (date: Date | null): string | null => (date ? date.toISOString() : null);

/** One line of the queue. */
export function queueItem(incident: TriageIncident) {
  return {
    id: incident.id,
    reference: incident.reference,
    version: incident.version,
    title: incident.title,
    category: incident.category,
    jurisdiction: incident.jurisdiction,
    tlp: incident.tlp,
    status: incident.status,
    priority: incident.priority,
    computedPriority: incident.computedPriority,
    overridden: incident.override !== null,
    score: incident.score,
    phase: incident.phase,
    campaign: incident.adjustments.some((a) => a.kind === 'campaign'),
    clusterId: incident.clusterId,
    assignee: incident.assignee,
    acknowledgedAt: iso(incident.acknowledgedAt),
    ackDeadline: iso(incident.ackDeadline),
    escalationLevel: incident.escalationLevel,
    receivedAt: incident.receivedAt.toISOString(),
    ...(incident.submission.exercise === undefined ? {} : { exercise: incident.submission.exercise }),
  };
}

/** Everything about an incident (API.md): submission, score and why, cluster, assignment, deadline, notes, timeline. */
export function incidentDetail(
  incident: TriageIncident,
  extra: { notes: NoteView[]; timeline: TimelineEntry[]; cluster: ClusterSummary | null; guidance?: string },
) {
  return {
    ...queueItem(incident),
    resolution: incident.resolution,
    override: incident.override,
    scoring: {
      model: incident.model,
      score: incident.score,
      computedPriority: incident.computedPriority,
      phase: incident.phase,
      breakdown: incident.breakdown,
      adjustments: incident.adjustments,
      ...(extra.guidance ? { guidance: extra.guidance } : {}),
    },
    submission: incident.submission,
    submittedBy: incident.submittedBy,
    acknowledgedBy: incident.acknowledgedBy,
    cluster: extra.cluster,
    notes: extra.notes,
    timeline: extra.timeline.map((entry) => ({ version: entry.version, type: entry.type, eventId: entry.eventId, by: entry.by, data: entry.data, at: entry.at.toISOString() })),
    triagedAt: incident.triagedAt.toISOString(),
    updatedAt: incident.updatedAt.toISOString(),
  };
}

export type IncidentDetailView = ReturnType<typeof incidentDetail>;
export type QueueItemView = ReturnType<typeof queueItem>;
