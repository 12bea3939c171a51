import { Inject, Injectable } from '@nestjs/common';
import { PRIORITY_LEVELS } from '@watchfloor/contracts';
import type { Caller } from '@watchfloor/platform';
import { DataSource } from 'typeorm';
import { IncidentRepository } from '../incidents/incident.repository';
import { queueItem, type QueueItemView } from '../incidents/incident.view';
import { decodeQueueCursor, encodeQueueCursor } from './queue-cursor';
import { queueFilterWhere } from './queue-filter.sql';
import type { QueueQuery } from './queue.query';

/** SQL rank of a level: 5 for emergency ... 0 for baseline. */
const RANK = `array_position(ARRAY['${PRIORITY_LEVELS.join("','")}']::text[], priority) - 1`;

/** The queue (API.md): open incidents, most dangerous first, oldest first within a level. */
@Injectable()
export class ReadQueue {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(IncidentRepository) private readonly incidents: IncidentRepository,
  ) {}

  async execute(caller: Caller, query: QueueQuery): Promise<{ items: QueueItemView[]; nextCursor: string | null }> {
    const limit = query.limit ?? 50;
    const params: unknown[] = [];
    const param = (value: unknown) => `$${params.push(value)}`;
    const where = queueFilterWhere(caller, query, param);
    if (query.cursor) {
      const after = decodeQueueCursor(query.cursor);
      const rank = param(after.rank);
      where.push(`((${RANK}) < ${rank} OR ((${RANK}) = ${rank} AND (received_at, id) > (${param(after.receivedAt)}::timestamptz, ${param(after.id)}::uuid)))`);
    }
    const rows = await this.incidents.select(this.dataSource.manager, {
      where: where.join(' AND '),
      orderBy: `${RANK} DESC, received_at ASC, id ASC`,
      limit: limit + 1,
      params,
    });
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map(queueItem),
      nextCursor:
        rows.length > limit && last
          ? encodeQueueCursor({ rank: PRIORITY_LEVELS.indexOf(last.priority), receivedAt: last.receivedAt.toISOString(), id: last.id })
          : null,
    };
  }
}
