// class-transformer's @Type reads design-time metadata while the class is being defined.
import 'reflect-metadata';
import { Type } from 'class-transformer';
import { Equals, IsInt, IsObject, IsUUID, Matches, ValidateBy, ValidateNested } from 'class-validator';
import { IncidentSubmission, type NormalizedSubmission } from '../submission/incident-submission';
import { isTlp } from '../tlp';
import { IsTimestamp } from '../validation/rules';
import { PrincipalRef } from './common';

/** `WF-<year>-<6 digits>`, the human-readable receipt of an incident. */
export const INCIDENT_REFERENCE_PATTERN = /^WF-\d{4}-\d{6}$/;

/** The published submission must carry its TLP: the default is filled before publishing. */
function HasTlp(): PropertyDecorator {
  return ValidateBy({
    name: 'hasTlp',
    validator: {
      validate: (value) => typeof value === 'object' && value !== null && isTlp((value as { tlp?: unknown }).tlp),
      defaultMessage: () => 'submission must be normalised (tlp set)',
    },
  });
}

/**
 * `watchfloor.incident.reported.v1`: intake accepted a new incident. The validated,
 * normalised submission is nested whole under `submission`, exactly as stored.
 */
export class IncidentReportedV1 {
  @IsUUID()
  incidentId: string;

  /** Always 1: the first version of the incident. */
  @IsInt()
  @Equals(1)
  version: number;

  @Matches(INCIDENT_REFERENCE_PATTERN)
  reference: string;

  @IsObject()
  @HasTlp()
  @ValidateNested()
  @Type(() => IncidentSubmission)
  submission: NormalizedSubmission;

  @IsObject()
  @ValidateNested()
  @Type(() => PrincipalRef)
  submittedBy: PrincipalRef;

  @IsTimestamp()
  receivedAt: string;
}
