import { Module } from '@nestjs/common';
import { IncidentsModule } from '../incidents/incidents.module';
import { IncidentChangeFeed } from './incident-change-feed';
import { QueueStream } from './queue-stream';
import { QueueStreamController } from './queue-stream.controller';
import { ReadQueueChanges } from './read-queue-changes.usecase';

/** `GET /v1/queue/events`: the queue as server-sent events, for the console. */
@Module({
  imports: [IncidentsModule],
  controllers: [QueueStreamController],
  providers: [IncidentChangeFeed, ReadQueueChanges, QueueStream],
})
export class QueueStreamModule {}
