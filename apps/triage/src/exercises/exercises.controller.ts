import { Controller, Delete, Inject, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { isExerciseId, type ExercisePurgedV1 } from '@watchfloor/contracts';
import { type Caller, CorrelationId, CurrentCaller, RequestValidationError, Roles } from '@watchfloor/platform';
import { PurgeExercise } from './purge-exercise.usecase';

@ApiTags('exercises')
@ApiBearerAuth('bearer')
@Controller('v1/exercises')
export class ExercisesController {
  constructor(@Inject(PurgeExercise) private readonly purgeExercise: PurgeExercise) {}

  @Delete(':exercise')
  @Roles('admin')
  @ApiOperation({ summary: "Purge an exercise's incidents, clusters and rotations after it (repeatable; recorded as exercise.purged)", description: 'See docs/exercises.md.' })
  purge(@CurrentCaller() caller: Caller, @Param('exercise') exercise: string, @CorrelationId() correlationId: string): Promise<ExercisePurgedV1> {
    if (!isExerciseId(exercise)) throw new RequestValidationError([{ field: 'exercise', message: 'exercise must be an exercise id, e.g. ga-tabletop-2026-10' }]);
    return this.purgeExercise.execute(caller, exercise, correlationId);
  }
}
