import { normalizeOcdId } from '../jurisdiction/ocd-id';
import { normalizeObservable, normalizePhone } from '../observables/normalize';
import { Observable } from '../observables/observable';
import { DEFAULT_TLP } from '../tlp';
import { normalizeTimestamp } from '../validation/rules';
import { IncidentImpacts, IncidentImpactsUpdate } from './impacts';
import { IncidentSubmission, type NormalizedSubmission } from './incident-submission';
import { IncidentUpdateSubmission } from './incident-update-submission';
import { Reporter, SubmissionSource } from './reporter';

/** Copies `fields` into a new `cls`, leaving out undefined ones so JSON and equality stay clean. */
function build<T extends object>(cls: new () => T, fields: Partial<T>): T {
  const instance = new cls();
  for (const [key, value] of Object.entries(fields)) {
    if (value !== undefined) (instance as Record<string, unknown>)[key] = value;
  }
  return instance;
}

/**
 * Normalised observables, repeats removed (first occurrence kept). Throws a `TypeError` when
 * one is invalid: validate first.
 */
export function normalizeObservables(observables: readonly Observable[]): Observable[] {
  const seen = new Set<string>();
  const result: Observable[] = [];
  for (const { type, value } of observables) {
    const normalized = normalizeObservable(type, value);
    if (!normalized.ok) throw new TypeError(`Invalid ${type} observable: ${normalized.message}`);
    const key = `${type}\u0000${normalized.value}`;
    if (seen.has(key)) continue;
    seen.add(key);
    result.push(build(Observable, { type, value: normalized.value }));
  }
  return result;
}

function normalizeReporter(reporter: Reporter): Reporter {
  const phone = reporter.phone === undefined ? undefined : normalizePhone(reporter.phone);
  return build(Reporter, {
    name: reporter.name.trim(),
    email: reporter.email?.trim().toLowerCase(),
    phone: phone?.ok ? phone.value : reporter.phone,
    organization: reporter.organization?.trim(),
    title: reporter.title?.trim(),
  });
}

/**
 * The canonical form of a validated submission, the one that is stored and published: `tlp`
 * defaults to `amber`, the jurisdiction is lower-cased, times are UTC with milliseconds,
 * observables are normalised and de-duplicated, the reporter's phone is E.164.
 * Does not validate: call it on a submission that passed {@link validateInstance}.
 */
export function normalizeSubmission(submission: IncidentSubmission): NormalizedSubmission {
  const normalized = build(IncidentSubmission, {
    title: submission.title.trim(),
    description: submission.description,
    category: submission.category,
    jurisdiction: normalizeOcdId(submission.jurisdiction),
    occurredAt: submission.occurredAt === undefined ? undefined : normalizeTimestamp(submission.occurredAt),
    detectedAt: submission.detectedAt === undefined ? undefined : normalizeTimestamp(submission.detectedAt),
    affectedAssets: [...new Set(submission.affectedAssets)],
    impacts: build(IncidentImpacts, { ...submission.impacts }),
    observables: normalizeObservables(submission.observables),
    tlp: submission.tlp ?? DEFAULT_TLP,
    phase: submission.phase,
    reporter: normalizeReporter(submission.reporter),
    source: submission.source && build(SubmissionSource, { system: submission.source.system.trim(), reference: submission.source.reference.trim() }),
    exercise: submission.exercise,
  });
  return normalized as NormalizedSubmission;
}

/** The canonical form of a validated update (observables normalised and de-duplicated). */
export function normalizeUpdateSubmission(update: IncidentUpdateSubmission): IncidentUpdateSubmission {
  return build(IncidentUpdateSubmission, {
    note: update.note,
    observables: update.observables && normalizeObservables(update.observables),
    affectedAssets: update.affectedAssets && [...new Set(update.affectedAssets)],
    impacts: update.impacts && build(IncidentImpactsUpdate, { ...update.impacts }),
  });
}
