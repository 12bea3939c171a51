// class-transformer's @Type reads design-time metadata while the class is being defined.
import 'reflect-metadata';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsObject, IsUUID, Min, ValidateNested } from 'class-validator';
import { EXERCISE_PURGING_SERVICES, type ExercisePurgingService } from '../domain/exercise';
import { IsExerciseId } from '../exercise/exercise-id';
import { BOUNDS } from '../validation/bounds';
import { IsTimestamp, Optional } from '../validation/rules';
import { Initiator } from './common';

/** Rows an exercise purge removed, by kind (only the kinds the purging service keeps). */
export class ExercisePurgeCounts {
  @Optional()
  @IsInt()
  @Min(0)
  incidents?: number;

  /** Triage's clusters of exercise incidents. */
  @Optional()
  @IsInt()
  @Min(0)
  clusters?: number;

  /** Versions of the exercise's on-call rotation. */
  @Optional()
  @IsInt()
  @Min(0)
  rotations?: number;

  @Optional()
  @IsInt()
  @Min(0)
  subscriptions?: number;

  @Optional()
  @IsInt()
  @Min(0)
  deliveries?: number;
}

/**
 * `watchfloor.exercise.purged.v1`: one service removed an exercise's data (incidents,
 * rotations, subscriptions, deliveries) after the exercise. Each service that keeps
 * exercise data publishes its own, so the audit log says who purged what, where, when.
 * A repeated purge is published again (with what it found, often nothing).
 */
export class ExercisePurgedV1 {
  @IsExerciseId()
  exercise: string;

  @IsIn(EXERCISE_PURGING_SERVICES)
  service: ExercisePurgingService;

  /** What it removed; each service counts what it keeps. */
  @IsObject()
  @ValidateNested()
  @Type(() => ExercisePurgeCounts)
  removed: ExercisePurgeCounts;

  /** The incidents removed (the first 1 000 when there were more; `removed.incidents` counts them all). */
  @IsArray()
  @ArrayMaxSize(BOUNDS.clusterIncidents)
  @IsUUID('all', { each: true })
  incidentIds: string[];

  @IsObject()
  @ValidateNested()
  @Type(() => Initiator)
  by: Initiator;

  @IsTimestamp()
  purgedAt: string;
}
