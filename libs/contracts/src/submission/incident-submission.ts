// class-transformer's @Type reads design-time metadata while the class is being defined.
import 'reflect-metadata';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayUnique, IsArray, IsIn, IsObject, IsString, MaxLength, ValidateNested } from 'class-validator';
import { ELECTION_ASSETS, ELECTION_PHASES, INCIDENT_CATEGORIES, type ElectionAsset, type ElectionPhase, type IncidentCategory } from '../domain/incident';
import { Observable } from '../observables/observable';
import { TLP_LEVELS, type Tlp } from '../tlp';
import { BOUNDS } from '../validation/bounds';
import { IsNotBlank, IsOcdId, IsTimestamp, NotAfter, NotInFuture, Optional } from '../validation/rules';
import { IsExerciseId } from '../exercise/exercise-id';
import { IncidentImpacts } from './impacts';
import { Reporter, SubmissionSource } from './reporter';

/**
 * An incident as an official or automation submits it: the body of `POST /v1/incidents`
 * and, after {@link normalizeSubmission}, the `submission` of `incident.reported.v1`.
 */
export class IncidentSubmission {
  @IsString()
  @IsNotBlank()
  @MaxLength(BOUNDS.title)
  title: string;

  @IsString()
  @IsNotBlank()
  @MaxLength(BOUNDS.description)
  description: string;

  @IsIn(INCIDENT_CATEGORIES)
  category: IncidentCategory;

  /** OCD-ID of the jurisdiction the incident happened in; must be within the caller's. */
  @IsOcdId()
  jurisdiction: string;

  /** When the incident began, if known; not after `detectedAt`. */
  @Optional()
  @IsTimestamp()
  @NotInFuture()
  @NotAfter('detectedAt')
  occurredAt?: string;

  /** When the reporter noticed it. */
  @Optional()
  @IsTimestamp()
  @NotInFuture()
  detectedAt?: string;

  /** May be empty (e.g. a threat to no particular system); no repeats. */
  @IsArray()
  @ArrayMaxSize(BOUNDS.affectedAssets)
  @ArrayUnique()
  @IsIn(ELECTION_ASSETS, { each: true })
  affectedAssets: ElectionAsset[];

  @IsObject()
  @ValidateNested()
  @Type(() => IncidentImpacts)
  impacts: IncidentImpacts;

  /** May be empty; repeats are merged by normalisation. */
  @IsArray()
  @ArrayMaxSize(BOUNDS.observables)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => Observable)
  observables: Observable[];

  /** Defaults to `amber` (see {@link normalizeSubmission}). */
  @Optional()
  @IsIn(TLP_LEVELS)
  tlp?: Tlp;

  /** Stated by the reporter; otherwise triage derives it from the election calendar. */
  @Optional()
  @IsIn(ELECTION_PHASES)
  phase?: ElectionPhase;

  @IsObject()
  @ValidateNested()
  @Type(() => Reporter)
  reporter: Reporter;

  @Optional()
  @IsObject()
  @ValidateNested()
  @Type(() => SubmissionSource)
  source?: SubmissionSource;

  /**
   * Marks the report as part of an exercise (a tabletop before election day): it is kept
   * apart from real incidents, rotations and subscriptions, and can be purged afterwards.
   */
  @Optional()
  @IsExerciseId()
  exercise?: string;
}

/** A submission after {@link normalizeSubmission}: defaults filled, values in canonical form. */
export type NormalizedSubmission = IncidentSubmission & { tlp: Tlp };
