import type { IncidentUpdateSubmission, NormalizedSubmission, Observable, SubmissionChanges } from '@watchfloor/contracts';

/** What an update really adds or changes, and the submission with it applied. */
export interface MergedUpdate {
  submission: NormalizedSubmission;
  /** Only the new information: observables and assets not already recorded, impact values that differ. */
  delta: Pick<IncidentUpdateSubmission, 'note' | 'observables' | 'affectedAssets' | 'impacts'> & { changes?: SubmissionChanges };
  /** False when the update brings nothing new. */
  changed: boolean;
}

const REPLACEABLE_FIELDS = ['title', 'description', 'category', 'occurredAt', 'detectedAt', 'tlp', 'phase'] as const;

/** Applies a normalised update (`POST .../updates`) to a submission. */
export function mergeUpdate(current: NormalizedSubmission, update: IncidentUpdateSubmission): MergedUpdate {
  const observables = newObservables(current.observables, update.observables ?? []);
  const affectedAssets = (update.affectedAssets ?? []).filter((asset) => !current.affectedAssets.includes(asset));
  const impacts = Object.fromEntries(
    Object.entries(update.impacts ?? {}).filter(([key, value]) => value !== undefined && current.impacts[key as keyof typeof current.impacts] !== value),
  );
  const delta: MergedUpdate['delta'] = {};
  if (update.note !== undefined) delta.note = update.note;
  if (observables.length) delta.observables = observables;
  if (affectedAssets.length) delta.affectedAssets = affectedAssets;
  if (Object.keys(impacts).length) delta.impacts = impacts;
  return {
    submission: {
      ...current,
      observables: [...current.observables, ...observables],
      affectedAssets: [...current.affectedAssets, ...affectedAssets],
      impacts: { ...current.impacts, ...impacts },
    },
    delta,
    changed: Object.keys(delta).length > 0,
  };
}

/**
 * A re-submission with the same `source.reference`: replaced fields become `changes`,
 * new observables and assets are added, impact values replaced. The reporter and the
 * jurisdiction of the first submission stay.
 */
export function mergeResubmission(current: NormalizedSubmission, incoming: NormalizedSubmission): MergedUpdate {
  const merged = mergeUpdate(current, {
    observables: incoming.observables,
    affectedAssets: incoming.affectedAssets,
    impacts: incoming.impacts,
  });
  const changes: Record<string, unknown> = {};
  for (const field of REPLACEABLE_FIELDS) {
    if (incoming[field] !== undefined && incoming[field] !== current[field]) changes[field] = incoming[field];
  }
  if (Object.keys(changes).length === 0) return merged;
  return {
    submission: { ...merged.submission, ...changes },
    delta: { ...merged.delta, changes: changes as SubmissionChanges },
    changed: true,
  };
}

function newObservables(current: readonly Observable[], incoming: readonly Observable[]): Observable[] {
  const known = new Set(current.map(({ type, value }) => `${type}\u0000${value}`));
  return incoming.filter(({ type, value }) => {
    const key = `${type}\u0000${value}`;
    if (known.has(key)) return false;
    known.add(key);
    return true;
  });
}
