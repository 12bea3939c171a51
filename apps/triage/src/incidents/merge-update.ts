import type { IncidentUpdatedV1, NormalizedSubmission, Observable } from '@watchfloor/contracts';

/** The submission after an `incident.updated`, and what changed. */
export interface MergedUpdate {
  submission: NormalizedSubmission;
  fieldVersions: Record<string, number>;
  /** Observables the incident did not have (to correlate). */
  newObservables: Observable[];
  /** Something the score reads changed (impacts, category, assets, phase). */
  inputsChanged: boolean;
  /** Anything at all changed. */
  changed: boolean;
}

const REPLACEABLE = ['title', 'description', 'category', 'occurredAt', 'detectedAt', 'tlp', 'phase'] as const;
const SCORED = new Set(['category', 'phase']);

/**
 * Merges an update into the submission so that any delivery order converges: observables
 * and assets are added (a union commutes), and each replaced field (an impact, the
 * category, ...) takes the value of the highest intake version that set it.
 */
export function mergeUpdate(current: NormalizedSubmission, fieldVersions: Record<string, number>, update: IncidentUpdatedV1): MergedUpdate {
  const submission: NormalizedSubmission = { ...current, impacts: { ...current.impacts } };
  const versions = { ...fieldVersions };
  let inputsChanged = false;
  let changed = false;
  const newer = (key: string) => update.version > (versions[key] ?? 1);

  const known = new Set(current.observables.map((o) => `${o.type}:${o.value}`));
  const newObservables = (update.observables ?? []).filter((o) => !known.has(`${o.type}:${o.value}`));
  if (newObservables.length > 0) {
    submission.observables = [...current.observables, ...newObservables];
    changed = true;
  }
  const newAssets = (update.affectedAssets ?? []).filter((asset) => !current.affectedAssets.includes(asset));
  if (newAssets.length > 0) {
    submission.affectedAssets = [...current.affectedAssets, ...newAssets];
    changed = inputsChanged = true;
  }
  for (const [field, value] of Object.entries(update.impacts ?? {})) {
    const key = `impacts.${field}`;
    if (value === undefined || !newer(key)) continue;
    versions[key] = update.version;
    const impacts = submission.impacts as unknown as Record<string, unknown>;
    if (impacts[field] !== value) {
      impacts[field] = value;
      changed = true;
      // attackVector is recorded but not a factor of the model.
      if (field !== 'attackVector') inputsChanged = true;
    }
  }
  for (const field of REPLACEABLE) {
    const value = update.changes?.[field];
    if (value === undefined || !newer(field)) continue;
    versions[field] = update.version;
    if (submission[field] !== value) {
      (submission as unknown as Record<string, unknown>)[field] = value;
      changed = true;
      if (SCORED.has(field)) inputsChanged = true;
    }
  }
  return { submission, fieldVersions: versions, newObservables, inputsChanged, changed };
}
