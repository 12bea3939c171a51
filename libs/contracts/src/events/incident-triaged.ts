// class-transformer's @Type reads design-time metadata while the class is being defined.
import 'reflect-metadata';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsNumber, IsObject, IsString, IsUUID, Matches, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { ELECTION_PHASES, type ElectionPhase } from '../domain/incident';
import { PRIORITY_ADJUSTMENTS, PRIORITY_LEVELS, SCORE_FACTORS, type PriorityAdjustmentKind, type PriorityLevel, type ScoreFactor } from '../domain/priority';
import { BOUNDS } from '../validation/bounds';
import { IsNotBlank, IsTimestamp, Optional } from '../validation/rules';
import { IncidentEventData } from './common';

const FINITE = { allowNaN: false, allowInfinity: false } as const;

/** Scoring model versions, e.g. `nciss-notional-1`. */
export const SCORE_MODEL_PATTERN = /^[a-z0-9][a-z0-9._-]{0,63}$/;

/** One factor's part in the weighted mean: why the score is what it is. */
export class ScoreContribution {
  @IsIn(SCORE_FACTORS)
  factor: ScoreFactor;

  /** The reporter's value for the factor, e.g. `minimal_critical`. */
  @IsString()
  @MaxLength(64)
  input: string;

  /** The model's 0-100 value for that input. */
  @IsNumber(FINITE)
  @Min(0)
  @Max(100)
  value: number;

  @IsNumber(FINITE)
  @Min(0)
  weight: number;

  /** weight * value / sum of the weights counted; the contributions add up to the score. */
  @IsNumber(FINITE)
  @Min(0)
  @Max(100)
  contribution: number;
}

/** An election adjustment applied after the mean (phase, safety, campaign). */
export class PriorityAdjustment {
  @IsIn(PRIORITY_ADJUSTMENTS)
  kind: PriorityAdjustmentKind;

  @IsIn(PRIORITY_LEVELS)
  from: PriorityLevel;

  @IsIn(PRIORITY_LEVELS)
  to: PriorityLevel;

  @IsString()
  @IsNotBlank()
  @MaxLength(BOUNDS.reason)
  reason: string;
}

/** `watchfloor.incident.triaged.v1`: triage scored the incident and set its priority. */
export class IncidentTriagedV1 extends IncidentEventData {
  /** The level after adjustments. */
  @IsIn(PRIORITY_LEVELS)
  priority: PriorityLevel;

  /** The weighted mean, 0-100, before adjustments. */
  @IsNumber(FINITE)
  @Min(0)
  @Max(100)
  score: number;

  @Matches(SCORE_MODEL_PATTERN)
  model: string;

  @IsArray()
  @ArrayMaxSize(SCORE_FACTORS.length)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => ScoreContribution)
  breakdown: ScoreContribution[];

  @IsArray()
  @ArrayMaxSize(PRIORITY_ADJUSTMENTS.length)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => PriorityAdjustment)
  adjustments: PriorityAdjustment[];

  /** The phase used: the reporter's, or derived from the election calendar. */
  @IsIn(ELECTION_PHASES)
  phase: ElectionPhase;

  @Optional()
  @IsUUID()
  clusterId?: string;

  /** When acknowledgement is due; absent for `baseline`, which has no deadline. */
  @Optional()
  @IsTimestamp()
  ackDeadline?: string;
}
