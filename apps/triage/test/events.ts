import { randomBytes, randomUUID } from 'node:crypto';
import {
  createEvent,
  normalizeSubmission,
  type EventOf,
  type IncidentSubmission,
  type IncidentUpdatedV1,
} from '@watchfloor/contracts';
import { aSubmission, type Overrides } from '@watchfloor/testing';

let sequence = 0;

/** `incident.reported.v1` as intake would publish it, for a submission with `overrides`. */
export function reportedEvent(
  overrides: Overrides<IncidentSubmission> = {},
  options: { incidentId?: string; receivedAt?: Date; submittedBy?: { sub: string; org?: string } } = {},
): EventOf<'watchfloor.incident.reported.v1'> {
  const submission = normalizeSubmission(aSubmission(overrides));
  const incidentId = options.incidentId ?? randomUUID();
  const receivedAt = options.receivedAt ?? new Date();
  sequence += 1;
  return createEvent(
    'watchfloor.incident.reported.v1',
    {
      incidentId,
      version: 1,
      reference: `WF-${receivedAt.getUTCFullYear()}-${String(sequence).padStart(6, '0')}`,
      submission,
      submittedBy: options.submittedBy ?? { sub: 'clerk-1', org: 'fulton-elections' },
      receivedAt: receivedAt.toISOString(),
    },
    { source: '/watchfloor/intake', subject: incidentId, tlp: submission.tlp, jurisdiction: submission.jurisdiction, correlationId: randomUUID(), time: receivedAt },
  );
}

/** `incident.updated.v1` (intake's `version` of the incident after the update). */
export function updatedEvent(
  reported: EventOf<'watchfloor.incident.reported.v1'>,
  version: number,
  update: Partial<Pick<IncidentUpdatedV1, 'note' | 'observables' | 'affectedAssets' | 'impacts' | 'changes'>>,
): EventOf<'watchfloor.incident.updated.v1'> {
  const { incidentId, submission } = reported.data;
  return createEvent(
    'watchfloor.incident.updated.v1',
    {
      incidentId,
      version,
      updateId: randomUUID(),
      origin: 'update',
      ...update,
      submittedBy: { sub: 'clerk-1', org: 'fulton-elections' },
      receivedAt: new Date().toISOString(),
    },
    { source: '/watchfloor/intake', subject: incidentId, tlp: submission.tlp, jurisdiction: submission.jurisdiction, correlationId: randomUUID() },
  );
}

/** A targeted ransomware attack on the election management system during canvass: emergency. */
export function anEmergency(): EventOf<'watchfloor.incident.reported.v1'> {
  return reportedEvent({
    title: 'EMS server encrypted, tabulation halted',
    category: 'ransomware',
    phase: 'canvass',
    affectedAssets: ['election_management_system', 'tabulator_central'],
    impacts: {
      functionalImpact: 'denial_critical_or_loss_of_control',
      informationImpact: 'destruction_critical',
      recoverability: 'not_recoverable',
      observedActivity: 'effect',
      locationOfActivity: 'critical_systems',
      actor: 'apt_targeted',
      potentialImpact: 'severe',
    },
    observables: [{ type: 'sha256', value: randomBytes(32).toString('hex') }],
  });
}
