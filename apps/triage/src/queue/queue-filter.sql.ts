import { OPEN_INCIDENT_STATUSES } from '@watchfloor/contracts';
import type { Caller } from '@watchfloor/platform';
import type { QueueQuery } from './queue.query';

/** The queue's filters as SQL conditions on `incident`; `param` adds a parameter and returns its placeholder. */
export function queueFilterWhere(caller: Caller, query: Omit<QueueQuery, 'cursor' | 'limit'>, param: (value: unknown) => string): string[] {
  const where: string[] = [query.status ? `status = ${param(query.status)}` : `status = ANY(${param([...OPEN_INCIDENT_STATUSES])}::text[])`];
  if (query.priority) where.push(`priority = ${param(query.priority)}`);
  if (query.assignee === 'none') where.push('assignee IS NULL');
  else if (query.assignee) where.push(`assignee = ${param(query.assignee === 'me' ? caller.sub : query.assignee)}`);
  if (query.jurisdiction) {
    const jurisdiction = query.jurisdiction.toLowerCase();
    where.push(`(jurisdiction = ${param(jurisdiction)} OR starts_with(jurisdiction, ${param(`${jurisdiction}/`)}))`);
  }
  if (query.category) where.push(`category = ${param(query.category)}`);
  // Exercise incidents are kept out of the real queue; asked for by id, an exercise's queue is all there is.
  where.push(query.exercise ? `exercise = ${param(query.exercise)}` : 'exercise IS NULL');
  if (query.campaign !== undefined) where.push(`${query.campaign ? '' : 'NOT '}(adjustments @> '[{"kind":"campaign"}]'::jsonb)`);
  return where;
}
