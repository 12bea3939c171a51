import pino from 'pino';
import { Registry } from 'prom-client';
import { uuidv7 } from 'uuidv7';
import type { DataSource } from 'typeorm';
import { createEvent, type EventOf } from '@watchfloor/contracts';
import { createServiceDataSource } from '@watchfloor/persistence';
import { MESSAGING_MIGRATIONS } from '../src';

/** Logs only real trouble during tests. */
export const quietLogger = pino({ level: 'error' });

/** A registry per test, so metrics of one test never leak into another. */
export const freshRegistry = (): Registry => new Registry();

export const TRIAGED = 'watchfloor.incident.triaged.v1' as const;

/** A valid `incident.triaged.v1` event (subject `incident.triaged.ga`). */
export function triagedEvent(overrides: { incidentId?: string; score?: number } = {}): EventOf<typeof TRIAGED> {
  const incidentId = overrides.incidentId ?? uuidv7();
  return createEvent(TRIAGED, {
    incidentId,
    version: 2,
    priority: 'high',
    score: overrides.score ?? 40,
    model: 'nciss-notional-1',
    breakdown: [{ factor: 'functionalImpact', input: 'minimal_critical', value: 40, weight: 6, contribution: 40 }],
    adjustments: [],
    phase: 'election_day',
    ackDeadline: '2026-11-03T14:05:07.123Z',
  }, {
    source: '/watchfloor/triage',
    subject: incidentId,
    tlp: 'amber',
    jurisdiction: 'ocd-division/country:us/state:ga/county:fulton',
    correlationId: uuidv7(),
    traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
  });
}

/** A data source on `url` with the messaging tables (and `extra` migrations) in `schema`. */
export function messagingDataSource(url: string, schema: string, extra: Array<new () => object> = []): Promise<DataSource> {
  return createServiceDataSource({ url, schema, migrations: [...MESSAGING_MIGRATIONS, ...extra], poolSize: 8 });
}
