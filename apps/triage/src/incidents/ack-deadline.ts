import type { PriorityLevel } from '@watchfloor/contracts';
import { ackDeadlineFrom, type TriageEnv } from '../config';
import type { TriageIncident } from './incident.record';

/**
 * The acknowledgement deadline once `incident` is at `level` (from `at`): set at first
 * triage (a draft, version 0); afterwards it only moves earlier (a raised level is chased
 * sooner, a lowered one keeps its promise), and it no longer moves once acknowledged.
 */
export function deadlineAtLevel(config: TriageEnv, incident: TriageIncident, level: PriorityLevel, at: Date): Date | null {
  if (incident.acknowledgedAt) return incident.ackDeadline;
  const candidate = ackDeadlineFrom(config, level, at) ?? null;
  if (!incident.ackDeadline || incident.version === 0) return candidate;
  if (!candidate) return incident.ackDeadline;
  return candidate < incident.ackDeadline ? candidate : incident.ackDeadline;
}
