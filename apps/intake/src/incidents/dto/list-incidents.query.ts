import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsExerciseId, IsOcdId, IsTimestamp, TRACKING_STATUSES, type TrackingStatus } from '@watchfloor/contracts';
import { PageQuery } from '@watchfloor/platform';
import { IsIn, IsOptional } from 'class-validator';

/** Query of `GET /v1/incidents`. */
export class ListIncidentsQuery extends PageQuery {
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

  @ApiPropertyOptional({ description: 'Only the incidents of this exercise; without it, exercise incidents are left out (docs/exercises.md).' })
  @IsOptional()
  @IsExerciseId()
  exercise?: string;
}
