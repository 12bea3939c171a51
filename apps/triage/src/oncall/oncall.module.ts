import { Module } from '@nestjs/common';
import { OnCallController } from './oncall.controller';
import { OnCallRoster } from './oncall-roster';
import { ReplaceRotation } from './replace-rotation.usecase';
import { RotationRepository } from './rotation.repository';

/** The on-call rotation: its API, and {@link OnCallRoster} for assignment and escalation. */
@Module({
  controllers: [OnCallController],
  providers: [RotationRepository, OnCallRoster, ReplaceRotation],
  exports: [OnCallRoster],
})
export class OnCallModule {}
