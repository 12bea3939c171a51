import type { LookupAddress } from 'node:dns';
import { anIncident, reported } from './events';
import { eventuallyLedger, startNotification, type NotificationUnderTest } from './harness';
import { startReceiver, type WebhookReceiver } from './receiver';

const REPORTED = 'watchfloor.incident.reported.v1';
const PARTNER = { role: 'partner', sub: 'partner-ssrf', org: 'vendor-co', clearance: 'amber' } as const;

/**
 * OWASP API7 (SSRF) at delivery time, through the real sender: a receiver's redirect is never
 * followed, and a host name is checked on the address actually connected to, so DNS rebinding
 * cannot reach what the policy refuses. This suite allows loopback (the receiver stands for a
 * partner's public endpoint); metadata and private addresses stay refused.
 */
describe('notification: webhooks cannot be turned against the inside (SSRF)', () => {
  let nut: NotificationUnderTest;
  let receiver: WebhookReceiver;
  /** The test's DNS: what each name resolves to on its n-th lookup. */
  const zone = new Map<string, (nth: number) => LookupAddress[]>();
  const lookups = new Map<string, number>();

  beforeAll(async () => {
    receiver = await startReceiver();
    nut = await startNotification({}, undefined, {
      resolveHost: async (hostname) => {
        const nth = (lookups.get(hostname) ?? 0) + 1;
        lookups.set(hostname, nth);
        const answer = zone.get(hostname)?.(nth);
        if (!answer) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
        return answer;
      },
    });
  });
  afterAll(async () => {
    await nut?.close();
    await receiver?.close();
  });

  const subscribe = (path: string, target: string) => nut.subscribe(PARTNER, { name: path, channel: 'webhook', target, events: [REPORTED] });

  it('never follows a redirect: a 3xx to the metadata address or anywhere else is a dead delivery naming it', async () => {
    receiver.respond('/to-metadata', () => ({ status: 302, headers: { location: 'http://169.254.169.254/latest/meta-data/iam/security-credentials/' } }));
    receiver.respond('/to-elsewhere', () => ({ status: 307, headers: { location: `${receiver.url}/followed` } }));
    const toMetadata = await subscribe('/to-metadata', `${receiver.url}/to-metadata`);
    const toElsewhere = await subscribe('/to-elsewhere', `${receiver.url}/to-elsewhere`);

    const event = reported(anIncident());
    await nut.publish(event);
    const rows = await eventuallyLedger(nut, 'event_id = $1 AND subscription_id = ANY($2)', [event.id, [toMetadata.id, toElsewhere.id]], (found) =>
      expect(found.map((row) => row.status)).toEqual(['dead', 'dead']),
    );
    for (const row of rows) {
      expect(row.attempts).toBe(1);
      expect(row.last_error).toMatch(/^HTTP 30[27] \(redirects are not followed/);
    }
    // Following the 307 would have reached this path, which the policy allows: nothing did.
    expect(receiver.on('/followed')).toEqual([]);
  });

  it('checks the address it connects to: a name that rebinds from an allowed address to 169.254.169.254 is refused at the next connection', async () => {
    const name = 'hooks.partner.test';
    zone.set(name, (nth) => [{ address: nth === 1 ? '127.0.0.1' : '169.254.169.254', family: 4 }]);
    // Each answer closes its connection, so every delivery connects (and looks the name up) again.
    receiver.respond('/rebinding', () => ({ status: 200, headers: { connection: 'close' } }));
    const subscription = await subscribe('/rebinding', `http://${name}:${receiver.port}/rebinding`);

    const first = reported(anIncident());
    await nut.publish(first);
    await eventuallyLedger(nut, 'event_id = $1 AND subscription_id = $2', [first.id, subscription.id], (rows) => expect(rows.map((r) => r.status)).toEqual(['delivered']));
    // One lookup for one connection: the address checked is the one connected to (a check
    // followed by a second resolution for the connection would have met the rebound answer).
    expect(lookups.get(name)).toBe(1);
    expect(receiver.on('/rebinding').map((r) => r.headers.host)).toEqual([`${name}:${receiver.port}`]);

    const second = reported(anIncident());
    await nut.publish(second);
    const [row] = await eventuallyLedger(nut, 'event_id = $1 AND subscription_id = $2', [second.id, subscription.id], (rows) => expect(rows.map((r) => r.status)).toEqual(['dead']));
    expect(row?.last_error).toBe(`target refused: ${name} resolves to 169.254.169.254 is a cloud metadata address`);
    expect(row?.attempts).toBe(1);
    expect(receiver.on('/rebinding')).toHaveLength(1);
  });

  it('refuses a name when any of its addresses is refused, even beside an allowed one', async () => {
    const name = 'mixed.partner.test';
    zone.set(name, () => [{ address: '127.0.0.1', family: 4 }, { address: '10.0.0.7', family: 4 }]);
    const subscription = await subscribe('/mixed', `http://${name}:${receiver.port}/mixed`);
    const event = reported(anIncident());
    await nut.publish(event);
    const [row] = await eventuallyLedger(nut, 'event_id = $1 AND subscription_id = $2', [event.id, subscription.id], (rows) => expect(rows.map((r) => r.status)).toEqual(['dead']));
    expect(row?.last_error).toBe(`target refused: ${name} resolves to 10.0.0.7 is a private address`);
    expect(receiver.on('/mixed')).toEqual([]);
  });
});
