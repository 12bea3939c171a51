import { IsExerciseId, IsTimestamp, Optional } from '@watchfloor/contracts';

/** Query of `GET /v1/oncall`. */
export class OnCallQuery {
  /** Who is on call at this instant instead of now (ISO 8601 with a zone), e.g. to check a DST night. */
  @Optional()
  @IsTimestamp()
  at?: string;

  /** The rotation of this exercise instead of the real one (docs/exercises.md). */
  @Optional()
  @IsExerciseId()
  exercise?: string;
}

/** Query of `PUT /v1/oncall`. */
export class OnCallExerciseQuery {
  /** Replace this exercise's rotation instead of the real one. */
  @Optional()
  @IsExerciseId()
  exercise?: string;
}
