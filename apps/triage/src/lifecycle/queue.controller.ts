import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type Caller, CurrentCaller, Roles } from '@watchfloor/platform';
import { QueueQuery } from '../queue/queue.query';
import { ReadQueue } from '../queue/read-queue.usecase';

/** The triage queue. */
@ApiTags('queue')
@ApiBearerAuth('bearer')
@Controller('v1/queue')
export class QueueController {
  constructor(@Inject(ReadQueue) private readonly readQueue: ReadQueue) {}

  @Get()
  @Roles('triage')
  @ApiOperation({ summary: 'Open incidents, highest priority first, then oldest first; filters status, priority, assignee, jurisdiction, category, campaign' })
  list(@CurrentCaller() caller: Caller, @Query() query: QueueQuery) {
    return this.readQueue.execute(caller, query);
  }
}
