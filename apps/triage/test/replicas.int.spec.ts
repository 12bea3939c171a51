import type { Observable } from '@watchfloor/contracts';
import { expectEventually } from '@watchfloor/testing';
import { reportedEvent } from './events';
import { startTriage, type TriageUnderTest } from './harness';

const COUNTIES = ['appling', 'baker', 'banks', 'bartow', 'ben_hill', 'berrien', 'bleckley', 'brantley', 'brooks', 'bryan'];

describe('triage: two replicas on one database and namespace', () => {
  let first: TriageUnderTest;
  let second: TriageUnderTest;

  beforeAll(async () => {
    first = await startTriage();
    second = await startTriage({}, { db: first.db, nats: first.nats });
  });
  afterAll(async () => {
    await second?.close();
    await first?.close();
  });

  it('a burst of related reports: each triaged once, one campaign, each earlier member raised once', async () => {
    const lure: Observable = { type: 'url', value: 'https://absentee-ballot-status.example.com/check' };
    const reports = Array.from({ length: 40 }, (_, i) =>
      reportedEvent({ jurisdiction: `ocd-division/country:us/state:ga/county:${COUNTIES[i % COUNTIES.length]}`, observables: [lure, { type: 'ipv4', value: `198.51.100.${i + 1}` }] }),
    );
    await Promise.all(reports.map((event) => first.publish(event)));
    await first.settled(reports.length);

    const ids = reports.map((r) => r.data.incidentId);
    const { rows: inboxes } = await first.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM triage.inbox');
    expect(inboxes[0]?.n).toBe(reports.length);
    const { rows: clusters } = await first.sql.query<{ cluster_id: string }>('SELECT DISTINCT cluster_id FROM triage.incident WHERE id = ANY($1::uuid[])', [ids]);
    expect(clusters).toHaveLength(1);

    const events = await expectEventually(async () => {
      const all = await first.events();
      expect(all.filter((e) => e.type === 'watchfloor.incident.triaged.v1')).toHaveLength(reports.length);
      return all;
    });
    const per = (type: string) => {
      const counts = new Map<string, number>();
      for (const e of events) if (e.type === type && e.data.incidentId) counts.set(e.data.incidentId, (counts.get(e.data.incidentId) ?? 0) + 1);
      return counts;
    };
    expect([...per('watchfloor.incident.triaged.v1').values()].every((n) => n === 1)).toBe(true);
    expect([...per('watchfloor.incident.reprioritized.v1').values()].every((n) => n === 1)).toBe(true);
    // Every incident ends low (baseline + campaign), whichever replica handled it and in whatever order.
    const { rows: levels } = await first.sql.query<{ priority: string; n: number }>('SELECT priority, count(*)::int AS n FROM triage.incident GROUP BY priority');
    expect(levels).toEqual([{ priority: 'low', n: reports.length }]);
    // Versions are gap-free per incident: each event its own version.
    const { rows: versions } = await first.sql.query<{ id: string; version: number; entries: number }>(
      `SELECT i.id, i.version, count(DISTINCT t.version) FILTER (WHERE t.version > 0)::int AS entries FROM triage.incident i JOIN triage.incident_timeline t ON t.incident_id = i.id GROUP BY i.id, i.version`,
    );
    for (const row of versions) expect(row.entries).toBe(row.version);
  });
});
