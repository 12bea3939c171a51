// class-transformer's @Type reads design-time metadata while the class is being defined.
import 'reflect-metadata';
import { Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsObject, IsString, Max, MaxLength, Min, ValidateIf, ValidateNested } from 'class-validator';
import { ESCALATION_REASONS, INCIDENT_STATUSES, RESOLUTIONS, type EscalationReason, type IncidentStatus, type Resolution } from '../domain/lifecycle';
import { PRIORITY_LEVELS, type PriorityLevel } from '../domain/priority';
import { BOUNDS } from '../validation/bounds';
import { IsNotBlank, IsTimestamp, Optional } from '../validation/rules';
import { IncidentEventData, Initiator } from './common';

/** `watchfloor.incident.reprioritized.v1`: the level changed after triage (override or rule). */
export class IncidentReprioritizedV1 extends IncidentEventData {
  @IsIn(PRIORITY_LEVELS)
  from: PriorityLevel;

  @IsIn(PRIORITY_LEVELS)
  to: PriorityLevel;

  /** Mandatory for a human override. */
  @IsString()
  @IsNotBlank()
  @MaxLength(BOUNDS.reason)
  reason: string;

  /** A user (override) or a rule (`campaign`, `phase`). */
  @IsObject()
  @ValidateNested()
  @Type(() => Initiator)
  by: Initiator;

  /** The computed level, kept beside an override. */
  @Optional()
  @IsIn(PRIORITY_LEVELS)
  computed?: PriorityLevel;
}

/** `watchfloor.incident.assigned.v1`: an incident was given to someone (by a user or the on-call rotation). */
export class IncidentAssignedV1 extends IncidentEventData {
  /** The assignee's `sub`. */
  @IsString()
  @IsNotBlank()
  @MaxLength(BOUNDS.subject)
  assignee: string;

  @Optional()
  @IsString()
  @IsNotBlank()
  @MaxLength(BOUNDS.subject)
  previousAssignee?: string;

  @IsObject()
  @ValidateNested()
  @Type(() => Initiator)
  by: Initiator;
}

/** `watchfloor.incident.acknowledged.v1`: triage took the incident on. */
export class IncidentAcknowledgedV1 extends IncidentEventData {
  @IsObject()
  @ValidateNested()
  @Type(() => Initiator)
  by: Initiator;

  @IsTimestamp()
  at: string;

  /** False when acknowledged after the deadline; true when there was none. */
  @IsBoolean()
  withinDeadline: boolean;
}

/** `watchfloor.incident.escalated.v1`: an acknowledgement deadline passed, or someone escalated by hand. */
export class IncidentEscalatedV1 extends IncidentEventData {
  @IsIn(PRIORITY_LEVELS)
  priority: PriorityLevel;

  /** 1 for the first escalation, 2 for the next, ... */
  @IsInt()
  @Min(1)
  @Max(100)
  level: number;

  @IsIn(ESCALATION_REASONS)
  reason: EscalationReason;

  /** The deadline that was missed (or, for a manual escalation, the one in force). */
  @IsTimestamp()
  deadline: string;

  /** When the next escalation is due if still unacknowledged. */
  @Optional()
  @IsTimestamp()
  nextDeadline?: string;

  /** The escalation contact (`sub`) for this level, from the on-call rotation, when one is set. */
  @Optional()
  @IsString()
  @IsNotBlank()
  @MaxLength(BOUNDS.subject)
  escalatedTo?: string;

  /** Required for a manual escalation. */
  @ValidateIf((event: IncidentEscalatedV1) => event.reason === 'manual' || event.by !== undefined)
  @IsObject()
  @ValidateNested()
  @Type(() => Initiator)
  by?: Initiator;
}

/** `watchfloor.incident.status_changed.v1`: a lifecycle transition. */
export class IncidentStatusChangedV1 extends IncidentEventData {
  @IsIn(INCIDENT_STATUSES)
  from: IncidentStatus;

  @IsIn(INCIDENT_STATUSES)
  to: IncidentStatus;

  /** Required when `to` is `resolved`. */
  @ValidateIf((event: IncidentStatusChangedV1) => event.to === 'resolved' || event.resolution !== undefined)
  @IsIn(RESOLUTIONS)
  resolution?: Resolution;

  @Optional()
  @IsString()
  @IsNotBlank()
  @MaxLength(BOUNDS.note)
  note?: string;

  @IsObject()
  @ValidateNested()
  @Type(() => Initiator)
  by: Initiator;
}
