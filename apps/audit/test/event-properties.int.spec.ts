import { randomUUID } from 'node:crypto';
import { BOUNDS, EVENT_CATALOGUE, EVENT_TYPES, type AnyEvent, type EventOf } from '@watchfloor/contracts';
import { loadConfig } from '@watchfloor/platform';
import { describeEventInputProperties, eventExample, expectEventually } from '@watchfloor/testing';
import { createAuditApp } from '../src/audit-app';
import { AuditEnv } from '../src/config';
import { RECORDED_STREAMS } from '../src/recording/stream-recorder';

const recorded = EVENT_TYPES.filter((type) => RECORDED_STREAMS.some(({ stream }) => EVENT_CATALOGUE[type].stream === stream));

describeEventInputProperties('audit', (env) => createAuditApp(loadConfig(AuditEnv, env)), {
  consumes: recorded,
  async validEvents({ sql, publish, publishRaw, deadLetters }) {
    const reported = eventExample('watchfloor.incident.reported.v1');
    // Valid and meant to harm. Audit records what was published, it does not judge it: an
    // incident nobody reported (another deployment's), the longest note, a version far ahead.
    const stranger = { ...eventExample('watchfloor.incident.assigned.v1'), subject: randomUUID() } as AnyEvent;
    (stranger.data as { incidentId: string }).incidentId = stranger.subject;
    const longest = eventExample('watchfloor.incident.note_added.v1') as EventOf<'watchfloor.incident.note_added.v1'>;
    longest.data.text = 'n'.repeat(BOUNDS.note);
    const farAhead = eventExample('watchfloor.incident.status_changed.v1') as EventOf<'watchfloor.incident.status_changed.v1'>;
    farAhead.data.version = 2 ** 31 - 1;
    // Its id again with other content: the chain keeps the first, an event id is recorded once.
    const forged = { ...reported, data: { ...reported.data, reference: 'WF-2024-999999' } };
    // A valid Georgia event on Pennsylvania's subject: refused, since subjects are what permissions go by.
    const misrouted = eventExample('watchfloor.incident.triaged.v1');
    for (const event of [reported, stranger, longest, farAhead]) await publish(event);
    await publishRaw('incident.reported.ga', JSON.stringify(forged));
    await publishRaw('incident.triaged.pa', JSON.stringify(misrouted));

    return async () => {
      const ids = [reported, stranger, longest, farAhead].map((event) => event.id);
      const entries = await expectEventually(async () => {
        const { rows } = await sql.query<{ event_id: string; reference: string }>("SELECT event_id, event::jsonb #>> '{data,reference}' AS reference FROM audit.entry WHERE event_id = ANY($1::uuid[])", [ids]);
        expect(rows.map((row) => row.event_id).sort()).toEqual([...ids].sort());
        return rows;
      });
      expect(entries.find((entry) => entry.event_id === reported.id)?.reference).toBe('WF-2024-000042');
      expect(await deadLetters(misrouted.id)).toEqual([{ consumer: 'audit--incidents', error: expect.stringContaining('misrouted event') }]);
      const { rows } = await sql.query<{ n: number }>('SELECT count(*)::int AS n FROM audit.entry WHERE event_id = $1', [misrouted.id]);
      expect(rows[0]?.n).toBe(0);
    };
  },
});
