import { Controller, Header, Inject, Query, Sse, type MessageEvent } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { type Caller, CurrentCaller, Roles } from '@watchfloor/platform';
import type { Observable } from 'rxjs';
import { QueueStream } from './queue-stream';
import { QueueStreamQuery } from './queue-stream.query';

/** The queue, live. */
@ApiTags('queue')
@ApiBearerAuth('bearer')
@Controller('v1/queue')
export class QueueStreamController {
  constructor(@Inject(QueueStream) private readonly stream: QueueStream) {}

  @Sse('events')
  @Roles('triage')
  // nginx (the usual ingress) buffers proxied answers unless told not to; events must go out as they come.
  @Header('X-Accel-Buffering', 'no')
  @ApiProduces('text/event-stream')
  @ApiOperation({
    summary: 'Server-sent events of the queue with the same filters as GET /v1/queue',
    description:
      '`ready` once listening (read the queue then); `incident` with a queue item when an incident in the filtered queue changed or joined it; ' +
      '`left` with `{ id }` when a changed incident is not in it (any more). Comments keep the connection alive. ' +
      'The stream ends after 10 minutes: reconnect with your current token.',
  })
  events(@CurrentCaller() caller: Caller, @Query() query: QueueStreamQuery): Observable<MessageEvent> {
    return this.stream.open(caller, query);
  }
}
