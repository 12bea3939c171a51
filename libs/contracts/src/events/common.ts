import { IsIn, IsInt, IsString, IsUUID, Matches, MaxLength, Min, ValidateIf } from 'class-validator';
import { INITIATOR_KINDS, type InitiatorKind } from '../domain/roles';
import { BOUNDS } from '../validation/bounds';
import { IsExerciseId } from '../exercise/exercise-id';
import { IsNotBlank, Optional } from '../validation/rules';

/** A person or machine client by its JWT claims `sub` and `org` (e.g. `submittedBy`, a note's `author`). */
export class PrincipalRef {
  @IsString()
  @IsNotBlank()
  @MaxLength(BOUNDS.subject)
  sub: string;

  @Optional()
  @IsString()
  @IsNotBlank()
  @MaxLength(BOUNDS.name)
  org?: string;
}

/** Names of system rules in `Initiator.rule`: lower-case snake case, e.g. `oncall_rotation`, `campaign`. */
export const RULE_NAME_PATTERN = /^[a-z][a-z0-9_]{0,63}$/;

/**
 * Who caused a change (`by`): a user (`kind: 'user'`, with `sub`) or a rule of the system
 * (`kind: 'system'`, with `rule`, e.g. `oncall_rotation`, `campaign`, `phase`, `ack_deadline`).
 */
export class Initiator {
  @IsIn(INITIATOR_KINDS)
  kind: InitiatorKind;

  /** Required for a user. */
  @ValidateIf((initiator: Initiator) => initiator.kind === 'user' || initiator.sub !== undefined)
  @IsString()
  @IsNotBlank()
  @MaxLength(BOUNDS.subject)
  sub?: string;

  @Optional()
  @IsString()
  @IsNotBlank()
  @MaxLength(BOUNDS.name)
  org?: string;

  /** Required for the system. */
  @ValidateIf((initiator: Initiator) => initiator.kind === 'system' || initiator.rule !== undefined)
  @IsString()
  @Matches(RULE_NAME_PATTERN)
  rule?: string;
}

/**
 * Fields of every incident event: the incident and its version, a counter the owning
 * service increments, so a consumer applies an event only when it is newer than its copy.
 */
export abstract class IncidentEventData {
  @IsUUID()
  incidentId: string;

  @IsInt()
  @Min(1)
  version: number;

  /** The exercise this belongs to (docs/exercises.md); absent for real traffic. */
  @Optional()
  @IsExerciseId()
  exercise?: string;
}
