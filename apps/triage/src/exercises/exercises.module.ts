import { Module } from '@nestjs/common';
import { ExercisesController } from './exercises.controller';
import { PurgeExercise } from './purge-exercise.usecase';

/** Purging an exercise's data after it (docs/exercises.md). */
@Module({ controllers: [ExercisesController], providers: [PurgeExercise] })
export class ExercisesModule {}
