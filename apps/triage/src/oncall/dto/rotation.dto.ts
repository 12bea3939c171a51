import { BOUNDS, IsNotBlank, Optional } from '@watchfloor/contracts';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayNotEmpty, ArrayUnique, IsArray, IsIn, IsString, MaxLength, ValidateNested } from 'class-validator';
import { WEEKDAYS, type Weekday } from '../shift-time';

/** Bounds of a rotation: generous for a state's operations center, small enough to compute per incident. */
export const ROTATION_BOUNDS = { shifts: 500, escalation: 20, time: 40, zone: 64 } as const;

/** One shift: `HH:mm` times repeat every week (on `days`), date-times happen once. */
export class ShiftDto {
  /** The on-call person's `sub` (the JWT subject they sign in with). */
  @IsString()
  @IsNotBlank()
  @MaxLength(BOUNDS.subject)
  assignee: string;

  /** `07:00` (wall clock in the rotation's zone), or `2026-11-03T06:00` (local) / with an offset. */
  @IsString()
  @MaxLength(ROTATION_BOUNDS.time)
  start: string;

  /** Same form as `start`. A weekly `end` at or before `start` ends the next day; `24:00` is midnight. */
  @IsString()
  @MaxLength(ROTATION_BOUNDS.time)
  end: string;

  /** Days a weekly shift starts on (`mon` ... `sun`); every day when absent. */
  @Optional()
  @IsArray()
  @ArrayNotEmpty()
  @ArrayUnique()
  @IsIn(WEEKDAYS, { each: true })
  days?: Weekday[];
}

/** Body of `PUT /v1/oncall`: the whole rotation, replacing the one in force. */
export class RotationDto {
  /** IANA time zone every shift time is read in, e.g. `America/New_York`. */
  @IsString()
  @MaxLength(ROTATION_BOUNDS.zone)
  timezone: string;

  @IsArray()
  @ArrayNotEmpty({ message: 'shifts must list at least one shift: a rotation with nobody on call would leave new incidents unassigned' })
  @ArrayMaxSize(ROTATION_BOUNDS.shifts)
  @ValidateNested({ each: true })
  @Type(() => ShiftDto)
  shifts: ShiftDto[];

  /** Escalation contacts (`sub`s) by level: the first at level 1, the last for every level beyond. */
  @IsArray()
  @ArrayMaxSize(ROTATION_BOUNDS.escalation)
  @ArrayUnique()
  @IsString({ each: true })
  @IsNotBlank({ each: true })
  @MaxLength(BOUNDS.subject, { each: true })
  escalation: string[];
}
