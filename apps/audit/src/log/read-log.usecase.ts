import { Inject, Injectable } from '@nestjs/common';
import { isUuid } from '@watchfloor/contracts';
import { NotFoundError, type Caller } from '@watchfloor/platform';
import type { AuditEntry } from '../chain/entry.record';
import { AuditLogRepository } from './audit-log.repository';
import type { PageQuery } from '@watchfloor/platform';
import type { ListEntriesQuery } from './dto/list-entries.query';
import { entryView, eventVisible } from './entry.view';
import { decodeCursor, encodeCursor } from './sequence-cursor';


function page(entries: AuditEntry[], limit: number, caller: Caller) {
  const items = entries.slice(0, limit);
  const last = items[items.length - 1];
  return { items: items.map((entry) => entryView(entry, caller)), nextCursor: entries.length > limit && last ? encodeCursor(last.sequence) : null };
}

/** `GET /v1/audit/entries` and an incident's timeline, in sequence order. */
@Injectable()
export class ReadLog {
  constructor(@Inject(AuditLogRepository) private readonly log: AuditLogRepository) {}

  async entries(caller: Caller, query: ListEntriesQuery) {
    const limit = query.limit ?? 50;
    const entries = await this.log.list(
      {
        ...(query.incidentId !== undefined ? { incidentId: query.incidentId.toLowerCase() } : {}),
        ...(query.type !== undefined ? { type: query.type } : {}),
        ...(query.actor !== undefined ? { actor: query.actor } : {}),
        ...(query.since !== undefined ? { since: new Date(query.since) } : {}),
        ...(query.until !== undefined ? { until: new Date(query.until) } : {}),
        ...(query.cursor !== undefined ? { afterSequence: decodeCursor(query.cursor) } : {}),
      },
      limit + 1,
    );
    return page(entries, limit, caller);
  }

  /**
   * Every entry of one incident in chain order. An incident audit never saw, or whose
   * report is above the caller's clearance, is a 404 (its existence is not revealed).
   */
  async timeline(caller: Caller, incidentId: string, query: PageQuery) {
    const id = incidentId.toLowerCase();
    // The incident's label is its report's; without a report seen, its first entry's.
    const report = isUuid(id) ? (await this.log.list({ incidentId: id, type: 'watchfloor.incident.reported.v1' }, 1))[0] : undefined;
    const label = report ?? (isUuid(id) ? (await this.log.list({ incidentId: id }, 1))[0] : undefined);
    if (!label || !eventVisible(caller, label)) {
      throw new NotFoundError('AUDIT.INCIDENT_NOT_FOUND', `no audit entries for incident ${incidentId}`);
    }
    const limit = query.limit ?? 50;
    const entries = await this.log.list({ incidentId: id, ...(query.cursor !== undefined ? { afterSequence: decodeCursor(query.cursor) } : {}) }, limit + 1);
    return { incidentId: id, ...page(entries, limit, caller) };
  }
}
