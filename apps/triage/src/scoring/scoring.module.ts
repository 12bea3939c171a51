import { Module } from '@nestjs/common';
import { Scorer } from './scorer';

/** The scoring model and election calendar. */
@Module({ providers: [Scorer], exports: [Scorer] })
export class ScoringModule {}
