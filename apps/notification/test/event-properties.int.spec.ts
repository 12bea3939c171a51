import { randomUUID } from 'node:crypto';
import type { EventOf } from '@watchfloor/contracts';
import { defineConsumer } from '@watchfloor/messaging';
import { loadConfig } from '@watchfloor/platform';
import { describeEventInputProperties, eventExample, expectEventually } from '@watchfloor/testing';
import { NotificationEnv } from '../src/config';
import { createNotificationApp } from '../src/notification-app';
import { ROUTABLE_EVENT_TYPES } from '../src/routing/routable-events';

type Reported = EventOf<'watchfloor.incident.reported.v1'>;
type Triaged = EventOf<'watchfloor.incident.triaged.v1'>;

function about<T extends Reported | Triaged>(event: T, incidentId: string): T {
  return { ...event, subject: incidentId, data: { ...event.data, incidentId } };
}

// Few, quick redeliveries: the event about an unknown incident below is retried (its report may be late) and then given up.
const consumers = ROUTABLE_EVENT_TYPES.map((type) => defineConsumer('notification', type, { maxDeliver: 3, backoffMs: [50, 100] }));

describeEventInputProperties('notification', (env) => createNotificationApp(loadConfig(NotificationEnv, env), { consumers }), {
  consumes: ROUTABLE_EVENT_TYPES,
  async validEvents({ sql, publish, deadLetters }) {
    const reported = about(eventExample('watchfloor.incident.reported.v1') as Reported, randomUUID());
    // Valid and meant to harm: triage of an incident never reported here. Without its report
    // there is no organisation or label to route it by, so it waits (retries) and is then
    // dead-lettered, with nothing projected and nothing delivered.
    const stranger = about(eventExample('watchfloor.incident.triaged.v1') as Triaged, randomUUID());
    await publish(reported);
    await publish(stranger);
    return async () => {
      await expectEventually(async () => {
        const { rows } = await sql.query<{ id: string }>('SELECT id FROM notification.incident WHERE id = ANY($1::uuid[])', [[reported.data.incidentId, stranger.data.incidentId]]);
        expect(rows).toEqual([{ id: reported.data.incidentId }]);
        expect(await deadLetters(stranger.id)).toEqual([{ consumer: 'notification--incident-triaged', error: expect.stringContaining('failed 3 deliveries') }]);
      });
      const { rows } = await sql.query<{ n: number }>('SELECT count(*)::int AS n FROM notification.delivery WHERE event_id = $1', [stranger.id]);
      expect(rows[0]?.n).toBe(0);
    };
  },
});
