import { randomUUID } from 'node:crypto';
import type { EventOf } from '@watchfloor/contracts';
import { loadConfig } from '@watchfloor/platform';
import { describeEventInputProperties, eventExample, expectEventually } from '@watchfloor/testing';
import { TriageEnv } from '../src/config';
import { createTriageApp } from '../src/triage-app';

type Reported = EventOf<'watchfloor.incident.reported.v1'>;
type Updated = EventOf<'watchfloor.incident.updated.v1'>;

/** An event of intake's about a new incident id. */
function about<T extends Reported | Updated>(event: T, incidentId: string): T {
  return { ...event, subject: incidentId, data: { ...event.data, incidentId } };
}

// Short back-off: nothing here should need a retry, and a wrong one must not stall the drain.
describeEventInputProperties('triage', (env) => createTriageApp(loadConfig(TriageEnv, { ...env, TRIAGE_CONSUMER_BACKOFF_MS: '50,100', TRIAGE_CONSUMER_MAX_DELIVER: '3' })), {
  consumes: ['watchfloor.incident.reported.v1', 'watchfloor.incident.updated.v1'],
  async validEvents({ sql, publish }) {
    const reported = about(eventExample('watchfloor.incident.reported.v1') as Reported, randomUUID());
    // Valid, about an incident nobody reported (another deployment's, or made up): it may
    // only have overtaken its report, so it is parked for it, and nothing else happens.
    const stranger = about(eventExample('watchfloor.incident.updated.v1') as Updated, randomUUID());
    await publish(reported);
    await publish(stranger);
    return async () => {
      await expectEventually(async () => {
        const { rows } = await sql.query<{ id: string }>('SELECT id FROM triage.incident WHERE id = ANY($1::uuid[])', [[reported.data.incidentId, stranger.data.incidentId]]);
        expect(rows).toEqual([{ id: reported.data.incidentId }]);
        const outbox = await sql.query<{ type: string }>("SELECT type FROM triage.outbox WHERE payload::jsonb #>> '{data,incidentId}' = ANY($1)", [[reported.data.incidentId, stranger.data.incidentId]]);
        expect(outbox.rows.map((row) => row.type)).toContain('watchfloor.incident.triaged.v1');
      });
      const parked = await sql.query<{ incident_id: string }>('SELECT incident_id FROM triage.pending_update WHERE event_id = $1', [stranger.id]);
      expect(parked.rows).toEqual([{ incident_id: stranger.data.incidentId }]);
      const strangers = await sql.query<{ n: number }>("SELECT count(*)::int AS n FROM triage.outbox WHERE payload::jsonb #>> '{data,incidentId}' = $1", [stranger.data.incidentId]);
      expect(strangers.rows[0]?.n).toBe(0);
    };
  },
});
