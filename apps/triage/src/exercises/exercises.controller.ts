import { Controller, Delete, Inject } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { ExercisePurgedV1 } from '@watchfloor/contracts';
import { type Caller, CorrelationId, CurrentCaller, ExerciseParam, Roles } from '@watchfloor/platform';
import { PurgeExercise } from './purge-exercise.usecase';

@ApiTags('exercises')
@ApiBearerAuth('bearer')
@Controller('v1/exercises')
export class ExercisesController {
  constructor(@Inject(PurgeExercise) private readonly purgeExercise: PurgeExercise) {}

  @Delete(':exercise')
  @Roles('admin')
  @ApiOperation({ summary: "Purge an exercise's incidents, clusters and rotations after it (repeatable; recorded as exercise.purged)", description: 'See docs/exercises.md.' })
  purge(@CurrentCaller() caller: Caller, @ExerciseParam() exercise: string, @CorrelationId() correlationId: string): Promise<ExercisePurgedV1> {
    return this.purgeExercise.execute(caller, exercise, correlationId);
  }
}
