import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOcdId, IsTimestamp, TRACKING_STATUSES, type TrackingStatus } from '@watchfloor/contracts';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

/** Query of `GET /v1/incidents`. */
export class ListIncidentsQuery {
  @ApiPropertyOptional({ enum: TRACKING_STATUSES })
  @IsOptional()
  @IsIn(TRACKING_STATUSES)
  status?: TrackingStatus;

  @ApiPropertyOptional({ description: 'Only incidents received at or after this time (ISO 8601).' })
  @IsOptional()
  @IsTimestamp()
  since?: string;

  @ApiPropertyOptional({ description: 'OCD-ID; this jurisdiction and those inside it (within your own).' })
  @IsOptional()
  @IsOcdId()
  jurisdiction?: string;

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
  @MaxLength(200)
  cursor?: string;
}
