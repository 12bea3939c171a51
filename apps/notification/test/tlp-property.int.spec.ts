import { compareTlp, TLP_LEVELS, tlpAllows, type Tlp } from '@watchfloor/contracts';
import { expectEventually } from '@watchfloor/testing';
import fc from 'fast-check';
import { anIncident, correlated, relabelled, reported, triaged, type TestIncident } from './events';
import { startNotification, type NotificationUnderTest } from './harness';
import { startReceiver, type WebhookReceiver } from './receiver';

const EVENTS = ['watchfloor.incident.reported.v1', 'watchfloor.incident.updated.v1', 'watchfloor.incident.triaged.v1', 'watchfloor.incident.correlated.v1'];
const ORGS = ['fulton-elections', 'partner-a', undefined] as const;

/** Every clearance × every organisation (and none): one subscription each, told of everything. */
const SUBSCRIBERS = TLP_LEVELS.flatMap((clearance) => ORGS.map((org) => ({ clearance, org, path: `/${clearance}/${org ?? 'no-org'}` })));

/** An incident with its label, reporting organisation and, maybe, the label a re-submission gave it. */
const anIncidentStory = fc.record({
  tlp: fc.constantFrom(...TLP_LEVELS),
  org: fc.constantFrom(...ORGS),
  relabel: fc.option(fc.constantFrom(...TLP_LEVELS), { nil: undefined }),
});
/** Incidents, and clusters (index sets) correlating some of them under a label of their own. */
const aScenario = fc.record({
  incidents: fc.array(anIncidentStory, { minLength: 4, maxLength: 12 }),
  clusters: fc.array(fc.record({ members: fc.uniqueArray(fc.nat(11), { minLength: 2, maxLength: 4 }), tlp: fc.constantFrom(...TLP_LEVELS) }), { maxLength: 3 }),
});

const stricter = (a: Tlp, b: Tlp): Tlp => (compareTlp(a, b) >= 0 ? a : b);

// Issue 13: random events × every kind of subscription, through the real service (routing,
// its incident projection, the ledger, the sender): nothing above a subscriber's clearance
// leaves, TLP:RED never leaves, AMBER+STRICT only to the reporting organisation, and no label is
// lowered on the way out.
describe('notification: TLP holds for random events × every clearance and organisation', () => {
  let nut: NotificationUnderTest;
  let receiver: WebhookReceiver;
  const subscriberOf = new Map<string, (typeof SUBSCRIBERS)[number]>();

  beforeAll(async () => {
    [nut, receiver] = await Promise.all([startNotification(), startReceiver()]);
    for (const subscriber of SUBSCRIBERS) {
      const claims = { role: 'partner' as const, sub: `partner${subscriber.path.replace(/\//g, '-')}`, clearance: subscriber.clearance, ...(subscriber.org ? { org: subscriber.org } : {}) };
      await nut.subscribe(claims, { name: subscriber.path, channel: 'webhook', target: `${receiver.url}${subscriber.path}`, events: EVENTS });
      subscriberOf.set(subscriber.path, subscriber);
    }
  });
  afterAll(async () => {
    await nut?.close();
    await receiver?.close();
  });

  it('never sends an event above what its subscriber may see', async () => {
    await fc.assert(
      fc.asyncProperty(aScenario, async (scenario) => {
        const incidents = scenario.incidents.map((story) => ({ story, incident: anIncident({ tlp: story.tlp, ...(story.org ? { org: story.org } : { org: undefined }) }) }));
        // The most shareable label each incident ever had: no event of it may leave below that... nor above the rules.
        const lowest = new Map<string, Tlp>(incidents.map(({ story, incident }) => [incident.id, story.relabel && compareTlp(story.relabel, story.tlp) < 0 ? story.relabel : story.tlp]));
        const reporterOf = new Map(incidents.map(({ incident }) => [incident.id, incident.org]));
        const published = new Map<string, Tlp>();
        for (const { story, incident } of incidents) {
          const events: Parameters<NotificationUnderTest['publish']> = [reported(incident), triaged(incident)];
          if (story.relabel) events.push(relabelled(incident, story.relabel), triaged({ ...incident, tlp: story.relabel }, 'high', 3));
          for (const event of events) published.set(event.id, event.tlp);
          await nut.publish(...events);
        }
        for (const cluster of scenario.clusters) {
          const members: TestIncident[] = [...new Set(cluster.members.map((index) => incidents[index % incidents.length]?.incident))].filter((i): i is TestIncident => i !== undefined);
          if (members.length < 2) continue;
          const event = correlated(members, cluster.tlp);
          published.set(event.id, event.tlp);
          await nut.publish(event);
        }

        // Quiet: every event routed (a delivery row per match) and every delivery made.
        await expectEventually(async () => {
          const { rows } = await nut.sql.query<{ routed: string; open: string }>(
            `SELECT (SELECT count(*) FROM notification.inbox WHERE event_id = ANY($1::uuid[])) AS routed,
                    (SELECT count(*) FROM notification.delivery WHERE status <> 'delivered') AS open`,
            [[...published.keys()]],
          );
          expect({ routed: Number(rows[0]?.routed), open: Number(rows[0]?.open) }).toEqual({ routed: published.size, open: 0 });
        }, { timeoutMs: 60_000, intervalMs: 100 });

        const wrong: string[] = [];
        for (const request of receiver.received) {
          const event = JSON.parse(request.body) as { id: string; tlp: Tlp; type: string; subject: string; data: { incidentIds?: string[] } };
          if (!published.has(event.id)) continue; // an earlier scenario's
          const subscriber = subscriberOf.get(request.path);
          const incidentIds = event.data.incidentIds ?? [event.subject];
          const floor = incidentIds.reduce<Tlp>((label, id) => stricter(label, lowest.get(id) ?? 'clear'), published.get(event.id) ?? 'red');
          const why = [
            !subscriber && 'to no subscriber',
            event.tlp === 'red' && 'TLP:RED left',
            subscriber && !tlpAllows(subscriber.clearance, event.tlp) && `above clearance ${subscriber.clearance}`,
            event.tlp === 'amber+strict' && !incidentIds.every((id) => reporterOf.get(id) !== undefined && reporterOf.get(id) === subscriber?.org) && 'AMBER+STRICT to another organisation',
            compareTlp(event.tlp, floor) < 0 && `label lowered below ${floor}`,
          ].filter(Boolean);
          if (why.length > 0) wrong.push(`${event.type} ${event.tlp} -> ${request.path}: ${why.join(', ')}`);
        }
        expect(wrong).toEqual([]);
      }),
      { numRuns: Number(process.env['FC_RUNS'] ?? 4) },
    );
    // The property was put to the test: events did go out.
    expect(receiver.received.length).toBeGreaterThan(0);
  });
});
