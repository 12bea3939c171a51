import { Inject, Injectable } from '@nestjs/common';
import type { Caller } from '@watchfloor/platform';
import { DataSource } from 'typeorm';
import { IncidentRepository } from '../incidents/incident.repository';
import { queueItem, type QueueItemView } from '../incidents/incident.view';
import { queueFilterWhere } from '../queue/queue-filter.sql';
import type { QueueStreamQuery } from './queue-stream.query';

/** What changed for one stream: incidents now in its queue, and changed ones that are not (any more). */
export interface QueueChanges {
  items: QueueItemView[];
  left: string[];
}

/** Re-reads changed incidents through the queue's own filters, so a stream shows what `GET /v1/queue` would. */
@Injectable()
export class ReadQueueChanges {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(IncidentRepository) private readonly incidents: IncidentRepository,
  ) {}

  async execute(caller: Caller, query: QueueStreamQuery, changedIds: readonly string[]): Promise<QueueChanges> {
    const params: unknown[] = [];
    const param = (value: unknown) => `$${params.push(value)}`;
    const where = [`id = ANY(${param(changedIds)}::uuid[])`, ...queueFilterWhere(caller, query, param)];
    const rows = await this.incidents.select(this.dataSource.manager, { where: where.join(' AND '), orderBy: 'id', limit: changedIds.length, params });
    const inQueue = new Set(rows.map((row) => row.id));
    return { items: rows.map(queueItem), left: changedIds.filter((id) => !inQueue.has(id)) };
  }
}
