import { Param, type PipeTransform } from '@nestjs/common';
import { isExerciseId } from '@watchfloor/contracts';
import { RequestValidationError } from '../errors/domain-error';

/** Refuses a path's exercise id that is not one (400 naming `exercise`) before any work. */
class ExerciseIdPipe implements PipeTransform<string, string> {
  transform(exercise: string): string {
    if (!isExerciseId(exercise)) throw new RequestValidationError([{ field: 'exercise', message: 'exercise must be an exercise id, e.g. ga-tabletop-2026-10' }]);
    return exercise;
  }
}

/** The `:exercise` path parameter, checked to be an exercise id. */
export const ExerciseParam = (): ParameterDecorator => Param('exercise', new ExerciseIdPipe());
