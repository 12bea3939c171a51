import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  BOUNDS,
  INCIDENT_STATUSES,
  IsNotBlank,
  Optional,
  PRIORITY_LEVELS,
  RESOLUTIONS,
  TLP_LEVELS,
  type IncidentStatus,
  type PriorityLevel,
  type Resolution,
  type Tlp,
} from '@watchfloor/contracts';
import { IsIn, IsString, MaxLength, ValidateIf } from 'class-validator';

/** Body of `POST /v1/incidents/:id/assign`. */
export class AssignBody {
  @ApiProperty({ description: 'The `sub` of the triage officer who takes it.' })
  @IsString()
  @IsNotBlank()
  @MaxLength(BOUNDS.subject)
  assignee: string;
}

/** Body of `POST /v1/incidents/:id/status`. */
export class StatusBody {
  @ApiProperty({ enum: INCIDENT_STATUSES })
  @IsIn(INCIDENT_STATUSES)
  to: IncidentStatus;

  @ApiPropertyOptional({ enum: RESOLUTIONS, description: 'Required when `to` is `resolved`, refused otherwise.' })
  @ValidateIf((body: StatusBody) => body.to === 'resolved' || body.resolution !== undefined)
  @IsIn(RESOLUTIONS, { message: 'resolution is required to resolve, and must be one of: ' + RESOLUTIONS.join(', ') })
  resolution?: Resolution;

  @ApiPropertyOptional()
  @Optional()
  @IsString()
  @IsNotBlank()
  @MaxLength(BOUNDS.note)
  note?: string;
}

/** Body of `POST /v1/incidents/:id/priority`: an officer's override, with its reason. */
export class PriorityBody {
  @ApiProperty({ enum: PRIORITY_LEVELS })
  @IsIn(PRIORITY_LEVELS)
  level: PriorityLevel;

  @ApiProperty({ description: 'Why: mandatory, audited.' })
  @IsString()
  @IsNotBlank()
  @MaxLength(BOUNDS.reason)
  reason: string;
}

/** Body of `POST /v1/incidents/:id/notes`. */
export class NoteBody {
  @ApiProperty()
  @IsString()
  @IsNotBlank()
  @MaxLength(BOUNDS.note)
  text: string;

  @ApiPropertyOptional({ enum: TLP_LEVELS, description: "Defaults to the incident's TLP." })
  @Optional()
  @IsIn(TLP_LEVELS)
  tlp?: Tlp;
}
