import { randomUUID } from 'node:crypto';
import type { EventOf } from '@watchfloor/contracts';
import { loadConfig } from '@watchfloor/platform';
import { aSubmission, describeEventInputProperties, devToken, eventExample, expectEventually, GEORGIA } from '@watchfloor/testing';
import { IntakeEnv } from '../src/config';
import { createIntakeApp } from '../src/intake-app';

type Triaged = EventOf<'watchfloor.incident.triaged.v1'>;
type Reprioritized = EventOf<'watchfloor.incident.reprioritized.v1'>;

function about<T extends Triaged | Reprioritized>(event: T, incidentId: string, version: number): T {
  return { ...event, subject: incidentId, data: { ...event.data, incidentId, version } };
}

describeEventInputProperties('intake', (env) => createIntakeApp(loadConfig(IntakeEnv, env)), {
  consumes: ['watchfloor.incident.triaged.v1', 'watchfloor.incident.acknowledged.v1', 'watchfloor.incident.status_changed.v1', 'watchfloor.incident.reprioritized.v1'],
  async validEvents({ url, sql, publish, deadLetters }) {
    const token = await devToken({ roles: ['official'], jurisdiction: GEORGIA });
    const created = await fetch(`${url}/v1/incidents`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(aSubmission()) });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    const triaged = about(eventExample('watchfloor.incident.triaged.v1') as Triaged, id, 2);
    // Valid and meant to harm: about an incident intake never announced (another deployment's,
    // or made up), which can never be followed: dead-lettered at once, nothing written.
    const stranger = about(eventExample('watchfloor.incident.triaged.v1') as Triaged, randomUUID(), 2);
    // A version far ahead is taken like any newer one: a consumer cannot tell it from triage's
    // own, so only the broker's permissions (triage alone may publish incident.triaged.*) keep it out.
    const farAhead = about(eventExample('watchfloor.incident.reprioritized.v1') as Reprioritized, id, 2 ** 31 - 1);
    for (const event of [triaged, stranger, farAhead]) await publish(event);
    return async () => {
      await expectEventually(async () => {
        const { rows } = await sql.query<{ status: string; priority: string; priority_version: number }>('SELECT status, priority, priority_version FROM intake.incident WHERE id = $1', [id]);
        expect(rows).toEqual([{ status: 'triaged', priority: farAhead.data.to, priority_version: 2 ** 31 - 1 }]);
      });
      expect(await deadLetters(stranger.id)).toEqual([{ consumer: 'intake--incident-triaged', error: expect.stringContaining(`no incident ${stranger.data.incidentId} in intake`) }]);
      const { rows } = await sql.query<{ n: number }>('SELECT count(*)::int AS n FROM intake.incident WHERE id = $1', [stranger.data.incidentId]);
      expect(rows[0]?.n).toBe(0);
    };
  },
});
