import { OmitType } from '@nestjs/swagger';
import { QueueQuery } from '../queue/queue.query';

/** Query of `GET /v1/queue/events`: the queue's filters, without paging. */
export class QueueStreamQuery extends OmitType(QueueQuery, ['cursor', 'limit'] as const) {}
