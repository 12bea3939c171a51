import { ApiPropertyOptional } from '@nestjs/swagger';
import { INCIDENT_CATEGORIES, INCIDENT_STATUSES, IsOcdId, PRIORITY_LEVELS, type IncidentCategory, type IncidentStatus, type PriorityLevel } from '@watchfloor/contracts';
import { Transform, Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

/** Query of `GET /v1/queue`. */
export class QueueQuery {
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
  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsIn([true, false], { message: 'campaign must be true or false' })
  campaign?: boolean;

  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page.' })
  @IsOptional()
  @IsString()
  @MaxLength(300)
  cursor?: string;
}
