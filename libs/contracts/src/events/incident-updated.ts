// class-transformer's @Type reads design-time metadata while the class is being defined.
import 'reflect-metadata';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsObject, IsString, IsUUID, MaxLength, Min, ValidateNested } from 'class-validator';
import { ELECTION_PHASES, INCIDENT_CATEGORIES, type ElectionPhase, type IncidentCategory } from '../domain/incident';
import { IncidentUpdateSubmission } from '../submission/incident-update-submission';
import { TLP_LEVELS, type Tlp } from '../tlp';
import { BOUNDS } from '../validation/bounds';
import { IsExerciseId } from '../exercise/exercise-id';
import { HasAnyDefined, IsNotBlank, IsTimestamp, Optional } from '../validation/rules';
import { PrincipalRef } from './common';

/** How an update arrived: `POST .../updates`, or a re-submission with the same `source.reference`. */
export const UPDATE_ORIGINS = ['update', 'resubmission'] as const;
export type UpdateOrigin = (typeof UPDATE_ORIGINS)[number];

/** Submission fields a re-submission replaced (new values only). */
export class SubmissionChanges {
  @Optional()
  @IsString()
  @IsNotBlank()
  @MaxLength(BOUNDS.title)
  title?: string;

  @Optional()
  @IsString()
  @IsNotBlank()
  @MaxLength(BOUNDS.description)
  description?: string;

  @Optional()
  @IsIn(INCIDENT_CATEGORIES)
  category?: IncidentCategory;

  @Optional()
  @IsTimestamp()
  occurredAt?: string;

  @Optional()
  @IsTimestamp()
  detectedAt?: string;

  @Optional()
  @IsIn(TLP_LEVELS)
  tlp?: Tlp;

  @Optional()
  @IsIn(ELECTION_PHASES)
  phase?: ElectionPhase;
}

/**
 * `watchfloor.incident.updated.v1`: new information on an incident. The normalised update
 * (note, observables and assets added, impact fields set) plus, for a re-submission, the
 * replaced submission fields in `changes`. At least one of them is present.
 */
export class IncidentUpdatedV1 extends IncidentUpdateSubmission {
  /** The exercise this belongs to (docs/exercises.md); absent for real traffic. */
  @Optional()
  @IsExerciseId()
  exercise?: string;

  @IsUUID()
  incidentId: string;

  @IsInt()
  @Min(1)
  version: number;

  @IsUUID()
  updateId: string;

  @IsIn(UPDATE_ORIGINS)
  origin: UpdateOrigin;

  @Optional()
  @IsObject()
  @HasAnyDefined()
  @ValidateNested()
  @Type(() => SubmissionChanges)
  changes?: SubmissionChanges;

  @IsObject()
  @ValidateNested()
  @Type(() => PrincipalRef)
  submittedBy: PrincipalRef;

  @IsTimestamp()
  receivedAt: string;
}
