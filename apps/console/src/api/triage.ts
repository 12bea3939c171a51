import type {
  ElectionAsset,
  ElectionPhase,
  IncidentCategory,
  IncidentStatus,
  ObservableType,
  PriorityAdjustmentKind,
  PriorityLevel,
  Resolution,
  ScoreFactor,
  Tlp,
} from '@watchfloor/contracts';
import { callApi, queryString } from './http';
import type { Page } from './intake';

/** One line of triage's `GET /v1/queue`. */
export interface QueueItem {
  id: string;
  reference: string;
  version: number;
  title: string;
  category: IncidentCategory;
  jurisdiction: string;
  tlp: Tlp;
  status: IncidentStatus;
  priority: PriorityLevel;
  computedPriority: PriorityLevel;
  overridden: boolean;
  score: number;
  phase: ElectionPhase;
  campaign: boolean;
  clusterId: string | null;
  /** Set for exercise traffic (docs/exercises.md). */
  exercise?: string;
  assignee: string | null;
  acknowledgedAt: string | null;
  ackDeadline: string | null;
  escalationLevel: number;
  receivedAt: string;
}

/** Who did something: a person (sub), the system, a rule, the submitter. */
export interface Actor {
  kind: string;
  sub?: string;
  org?: string;
}

/** triage's `GET /v1/incidents/:id`. */
export interface IncidentDetail extends QueueItem {
  resolution: Resolution | null;
  override: { level: PriorityLevel; reason: string; by: Actor; at: string } | null;
  scoring: {
    model: string;
    score: number;
    computedPriority: PriorityLevel;
    phase: ElectionPhase;
    breakdown: Array<{ factor: ScoreFactor; input: string; value: number; weight: number; contribution: number }>;
    adjustments: Array<{ kind: PriorityAdjustmentKind; from: PriorityLevel; to: PriorityLevel; reason: string }>;
    guidance?: string;
  };
  submission: {
    description: string;
    affectedAssets: ElectionAsset[];
    observables: Array<{ type: ObservableType; value: string }>;
    reporter: { name: string; title?: string; organization?: string };
  };
  cluster: { id: string; campaign: boolean; jurisdictions: string[]; incidentIds: string[]; sharedObservables: Array<{ type: string; value: string }> } | null;
  notes: Array<{ id: string; author: { sub: string; org?: string }; text: string; tlp: Tlp; createdAt: string }>;
  timeline: Array<{ version: number; type: string; by: Actor | null; data: unknown; at: string }>;
}

export interface QueueFilters {
  status?: IncidentStatus;
  priority?: PriorityLevel;
  category?: IncidentCategory;
  assignee?: string;
  jurisdiction?: string;
}

/** An incident and the version (ETag) a change must name in `If-Match`. */
export interface VersionedIncident {
  incident: IncidentDetail;
  version: string;
}

export const readQueue = (token: string, filters: QueueFilters) =>
  callApi<Page<QueueItem>>('triage', `/v1/queue${queryString({ limit: 200, ...filters })}`, token).then((r) => r.body);

export async function readIncident(token: string, id: string): Promise<VersionedIncident> {
  const { body, etag } = await callApi<IncidentDetail>('triage', `/v1/incidents/${encodeURIComponent(id)}`, token);
  return { incident: body, version: etag ?? `"${body.version}"` };
}

/** The changes a triage officer makes to an incident (API.md, triage). */
export type IncidentChange =
  | { kind: 'acknowledge' }
  | { kind: 'assign'; assignee: string }
  | { kind: 'status'; to: IncidentStatus; resolution?: Resolution; note?: string }
  | { kind: 'note'; text: string; tlp?: Tlp }
  | { kind: 'priority'; level: PriorityLevel; reason: string };

/** Makes a change on the version read; a stale version is a 412 {@link ApiProblem}. */
export async function changeIncident(token: string, id: string, version: string, change: IncidentChange): Promise<void> {
  const { kind, ...body } = change;
  const path = `/v1/incidents/${encodeURIComponent(id)}/${kind === 'note' ? 'notes' : kind}`;
  await callApi<unknown>('triage', path, token, { method: 'POST', body: kind === 'acknowledge' ? undefined : body, headers: { 'if-match': version } });
}

/** triage's `GET /v1/clusters/:id`: incidents that share observables, and whether they make a campaign. */
export interface Cluster {
  id: string;
  version: number;
  campaign: boolean;
  jurisdictions: string[];
  incidentIds: string[];
  sharedObservables: Array<{ type: string; value: string }>;
  createdAt: string;
  updatedAt: string;
  exercise?: string;
}

/** Campaigns, most recently changed first (a new member or jurisdiction brings one to the top). */
export const listCampaigns = (token: string) => callApi<Page<Cluster>>('triage', `/v1/clusters${queryString({ campaign: true, limit: 100 })}`, token).then((r) => r.body);

export const readCluster = (token: string, id: string) => callApi<Cluster>('triage', `/v1/clusters/${encodeURIComponent(id)}`, token).then((r) => r.body);

/** One shift of the rotation: `HH:mm` times repeat weekly (on `days`), date-times happen once. */
export interface Shift {
  assignee: string;
  start: string;
  end: string;
  days?: string[];
}

/** triage's `GET /v1/oncall`: the rotation and who is on call at `onCall.at`. */
export interface Rotation {
  version: number;
  timezone: string;
  shifts: Shift[];
  escalation: string[];
  changedBy: Actor | null;
  changedAt: string | null;
  onCall: { at: string; assignees: string[]; windows: Array<{ assignee: string; start: string; end: string }> };
}

export const readOnCall = (token: string, at?: string) => callApi<Rotation>('triage', `/v1/oncall${queryString({ at })}`, token).then((r) => r.body);

/** The rotation and the version (ETag) a change must name in `If-Match`. */
export interface VersionedRotation {
  rotation: Rotation;
  version: string;
}

export async function readRotation(token: string): Promise<VersionedRotation> {
  const { body, etag } = await callApi<Rotation>('triage', '/v1/oncall', token);
  return { rotation: body, version: etag ?? `"${body.version}"` };
}

/** The body of `PUT /v1/oncall` (docs/triage-oncall.md). */
export interface RotationBody {
  timezone: string;
  shifts: Shift[];
  escalation: string[];
}

/** Replaces the rotation on the version read; a stale version is a 412 {@link ApiProblem}. */
export async function replaceRotation(token: string, body: RotationBody, version: string): Promise<VersionedRotation> {
  const saved = await callApi<Rotation>('triage', '/v1/oncall', token, { method: 'PUT', body, headers: { 'if-match': version } });
  return { rotation: saved.body, version: saved.etag ?? `"${saved.body.version}"` };
}
