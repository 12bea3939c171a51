import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsExerciseId } from '@watchfloor/contracts';
import { IsQueryBoolean, PageQuery } from '@watchfloor/platform';
import { IsOptional } from 'class-validator';

/** Query of `GET /v1/clusters`. */
export class ClustersQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'true: campaigns only; false: clusters that are not (yet) campaigns.' })
  @IsOptional()
  @IsQueryBoolean()
  campaign?: boolean;

  @ApiPropertyOptional({ description: 'The clusters of this exercise; without it, exercise clusters are left out.' })
  @IsOptional()
  @IsExerciseId()
  exercise?: string;
}
