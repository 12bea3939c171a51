import type { Observable, Tlp } from '@watchfloor/contracts';
import type { ClusterView } from '../clusters/cluster.repository';
import type { TriageIncident } from '../incidents/incident.record';
import { stixPattern, toStixObservable } from './observables';
import { INCIDENT_EXTENSION_ID, WATCHFLOOR_IDENTITY } from './producer';
import type { BundleBuilder, StixObject } from './stix-bundle';
import { watchfloorStixId } from './stix-ids';
import { TLP_MARKING_IDS } from './tlp-markings';

/** STIX timestamps: RFC 3339, UTC, milliseconds (what `toISOString` writes). */
const iso = (date: Date): string => date.toISOString();
const latest = (...dates: Date[]): Date => new Date(Math.max(...dates.map((d) => d.getTime())));
const earliest = (...dates: Date[]): Date => new Date(Math.min(...dates.map((d) => d.getTime())));
const marked = (tlp: Tlp) => ({ created_by_ref: WATCHFLOOR_IDENTITY.id, object_marking_refs: [TLP_MARKING_IDS[tlp]] });

/** `functionalImpact` -> `functional_impact`: STIX property names are lower-case with underscores. */
const snake = (name: string): string => name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);

/** A relationship `source` -`type`-> `target`, under `tlp`. */
export function relationship(source: StixObject, type: string, target: StixObject, at: Date, tlp: Tlp): StixObject {
  return {
    type: 'relationship',
    spec_version: '2.1',
    id: watchfloorStixId('relationship', `${source.id}|${type}|${target.id}`),
    created: iso(at),
    modified: iso(at),
    relationship_type: type,
    source_ref: source.id,
    target_ref: target.id,
    ...marked(tlp),
  };
}

/** Watchfloor's fields of an incident, in its property extension (never the reporter, the assignee or notes). */
function incidentExtension(incident: TriageIncident): Record<string, unknown> {
  const { submission } = incident;
  return {
    extension_type: 'property-extension',
    watchfloor_id: incident.id,
    reference: incident.reference,
    category: incident.category,
    jurisdiction: incident.jurisdiction,
    tlp: incident.tlp,
    status: incident.status,
    ...(incident.resolution ? { resolution: incident.resolution } : {}),
    priority: incident.priority,
    computed_priority: incident.computedPriority,
    score: incident.score,
    scoring_model: incident.model,
    phase: incident.phase,
    affected_assets: submission.affectedAssets,
    impacts: Object.fromEntries(Object.entries(submission.impacts).map(([name, value]) => [snake(name), value])),
    ...(submission.occurredAt ? { occurred_at: submission.occurredAt } : {}),
    ...(submission.detectedAt ? { detected_at: submission.detectedAt } : {}),
    received_at: iso(incident.receivedAt),
    observables: submission.observables.map(({ type, value }) => ({ type, value })),
  };
}

/**
 * An incident, its cyber-observables (in one observed-data, related to it) and that
 * relationship, all under the incident's own label; returns the incident object.
 */
export function addIncident(bundle: BundleBuilder, incident: TriageIncident): StixObject {
  const created = incident.receivedAt;
  const modified = latest(created, incident.updatedAt);
  const stixIncident: StixObject = {
    type: 'incident',
    spec_version: '2.1',
    id: watchfloorStixId('incident', incident.id),
    created: iso(created),
    modified: iso(modified),
    name: incident.title,
    description: incident.submission.description,
    external_references: [{ source_name: 'watchfloor', external_id: incident.reference }],
    ...marked(incident.tlp),
    extensions: { [INCIDENT_EXTENSION_ID]: incidentExtension(incident) },
  };
  bundle.add(stixIncident);

  const observables = incident.submission.observables.map(toStixObservable).filter((o) => o !== undefined);
  if (observables.length === 0) return stixIncident;
  for (const observable of observables) bundle.addObservable(observable, incident.tlp);
  // When it was seen: from the first time the reporter gives (occurred, detected) to its receipt.
  const { occurredAt, detectedAt } = incident.submission;
  const times = [created, ...[occurredAt, detectedAt].filter((t) => t !== undefined).map((t) => new Date(t))];
  const observed: StixObject = {
    type: 'observed-data',
    spec_version: '2.1',
    id: watchfloorStixId('observed-data', incident.id),
    created: iso(created),
    modified: iso(modified),
    first_observed: iso(earliest(...times)),
    last_observed: iso(latest(...times)),
    number_observed: 1,
    object_refs: [...new Set(observables.map((o) => o.id))],
    ...marked(incident.tlp),
  };
  bundle.add(observed);
  bundle.add(relationship(observed, 'related-to', stixIncident, created, incident.tlp));
  return stixIncident;
}

/**
 * A campaign, as a `campaign` object; its incidents are `related-to` it (each relationship
 * under its incident's label).
 */
export function addCampaign(bundle: BundleBuilder, cluster: ClusterView, members: ReadonlyArray<{ incident: TriageIncident; stix: StixObject }>, tlp: Tlp): StixObject {
  const campaign: StixObject = {
    type: 'campaign',
    spec_version: '2.1',
    id: watchfloorStixId('campaign', cluster.id),
    ...clusterTimes(cluster),
    name: `Watchfloor campaign ${cluster.id}`,
    description: 'Election incidents that triage correlated by shared observables, reported from several jurisdictions.',
    external_references: [{ source_name: 'watchfloor', external_id: cluster.id }],
    ...marked(tlp),
  };
  bundle.add(campaign);
  for (const { incident, stix } of members) {
    bundle.add(relationship(stix, 'related-to', campaign, latest(incident.receivedAt, new Date(cluster.createdAt)), incident.tlp));
  }
  return campaign;
}

/** A cluster that is not (yet) a campaign: a `grouping` of its incidents and indicators. */
export function addGrouping(bundle: BundleBuilder, cluster: ClusterView, refs: readonly StixObject[], tlp: Tlp): void {
  bundle.add({
    type: 'grouping',
    spec_version: '2.1',
    id: watchfloorStixId('grouping', cluster.id),
    ...clusterTimes(cluster),
    name: `Watchfloor cluster ${cluster.id}`,
    description: 'Election incidents that triage correlated by shared observables.',
    context: 'suspicious-activity',
    object_refs: refs.map((ref) => ref.id),
    external_references: [{ source_name: 'watchfloor', external_id: cluster.id }],
    ...marked(tlp),
  });
}

/** An indicator of an observable the cluster's incidents share (patterns exist for all but phone numbers). */
export function sharedIndicator(cluster: ClusterView, observable: Observable, tlp: Tlp): StixObject | undefined {
  const pattern = stixPattern(observable);
  if (!pattern) return undefined;
  const { created } = clusterTimes(cluster);
  return {
    type: 'indicator',
    spec_version: '2.1',
    id: watchfloorStixId('indicator', `${cluster.id}|${observable.type}|${observable.value}`),
    created,
    modified: created,
    name: observable.value,
    description: `A ${observable.type} reported in several incidents that triage correlated.`,
    indicator_types: ['anomalous-activity'],
    pattern,
    pattern_type: 'stix',
    pattern_version: '2.1',
    valid_from: created,
    ...marked(tlp),
  };
}

function clusterTimes(cluster: ClusterView): { created: string; modified: string } {
  const created = new Date(cluster.createdAt);
  return { created: iso(created), modified: iso(latest(created, new Date(cluster.updatedAt))) };
}
