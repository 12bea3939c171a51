import { ApiPropertyOptional } from '@nestjs/swagger';
import { INCIDENT_CATEGORIES, INCIDENT_STATUSES, IsExerciseId, IsOcdId, PRIORITY_LEVELS, type IncidentCategory, type IncidentStatus, type PriorityLevel } from '@watchfloor/contracts';
import { IsQueryBoolean, PageQuery } from '@watchfloor/platform';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';

/** Query of `GET /v1/queue`. */
export class QueueQuery extends PageQuery {
  @ApiPropertyOptional({ enum: INCIDENT_STATUSES, description: 'Default: every open status (new, acknowledged, investigating, mitigated).' })
  @IsOptional()
  @IsIn(INCIDENT_STATUSES)
  status?: IncidentStatus;

  @ApiPropertyOptional({ enum: PRIORITY_LEVELS })
  @IsOptional()
  @IsIn(PRIORITY_LEVELS)
  priority?: PriorityLevel;

  @ApiPropertyOptional({ description: 'The assignee `sub`; `me` for yours, `none` for unassigned incidents.' })
  @IsOptional()
  @IsString()
  @MaxLength(256)
  assignee?: string;

  @ApiPropertyOptional({ description: 'OCD-ID: this jurisdiction and those inside it.' })
  @IsOptional()
  @IsOcdId()
  jurisdiction?: string;

  @ApiPropertyOptional({ enum: INCIDENT_CATEGORIES })
  @IsOptional()
  @IsIn(INCIDENT_CATEGORIES)
  category?: IncidentCategory;

  @ApiPropertyOptional({ description: 'true: only members of a campaign.' })
  @IsOptional()
  @IsQueryBoolean()
  campaign?: boolean;

  @ApiPropertyOptional({ description: 'The queue of this exercise; without it, exercise incidents are left out (docs/exercises.md).' })
  @IsOptional()
  @IsExerciseId()
  exercise?: string;
}
