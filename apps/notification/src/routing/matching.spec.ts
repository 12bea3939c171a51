import type { SubscriptionRecord } from '../subscriptions/subscription.record';
import { matches, tlpPermits, type RoutedEvent } from './matching';

const GA = 'ocd-division/country:us/state:ga';
const FULTON = `${GA}/county:fulton`;

function subscription(overrides: Partial<SubscriptionRecord> = {}): SubscriptionRecord {
  return {
    id: 's', name: 'n', channel: 'webhook', target: 'https://x.example', events: ['watchfloor.incident.triaged.v1'], filter: {},
    owner: { sub: 'p', org: 'vendor' }, clearance: 'amber', version: 1, createdAt: new Date(), updatedAt: new Date(), ...overrides,
  };
}

function event(overrides: Partial<RoutedEvent> = {}): RoutedEvent {
  return { type: 'watchfloor.incident.triaged.v1', tlp: 'amber', jurisdictions: [FULTON], categories: ['phishing'], priority: 'high', reportingOrgs: ['fulton'], publishedAt: new Date(), ...overrides };
}

describe('matches', () => {
  it('needs the event type', () => {
    expect(matches(subscription(), event())).toBe(true);
    expect(matches(subscription(), event({ type: 'watchfloor.incident.assigned.v1' }))).toBe(false);
  });

  it('only events published since the subscription was made (a minute of clock skew allowed)', () => {
    const made = new Date('2026-11-03T12:00:00Z');
    expect(matches(subscription({ createdAt: made }), event({ publishedAt: new Date('2026-11-03T12:05:00Z') }))).toBe(true);
    expect(matches(subscription({ createdAt: made }), event({ publishedAt: new Date('2026-11-03T11:59:30Z') }))).toBe(true);
    expect(matches(subscription({ createdAt: made }), event({ publishedAt: new Date('2026-11-03T11:58:00Z') }))).toBe(false);
  });

  it('minPriority: at least the level, and a known priority', () => {
    expect(matches(subscription({ filter: { minPriority: 'high' } }), event({ priority: 'severe' }))).toBe(true);
    expect(matches(subscription({ filter: { minPriority: 'high' } }), event({ priority: 'high' }))).toBe(true);
    expect(matches(subscription({ filter: { minPriority: 'high' } }), event({ priority: 'medium' }))).toBe(false);
    expect(matches(subscription({ filter: { minPriority: 'baseline' } }), event({ priority: undefined }))).toBe(false);
  });

  it('jurisdictions: containment, not string prefix', () => {
    expect(matches(subscription({ filter: { jurisdictions: [GA] } }), event())).toBe(true);
    expect(matches(subscription({ filter: { jurisdictions: [FULTON] } }), event({ jurisdictions: [`${GA}/county:fulton_north`] }))).toBe(false);
    expect(matches(subscription({ filter: { jurisdictions: ['ocd-division/country:us/state:wi'] } }), event())).toBe(false);
    expect(matches(subscription({ filter: { jurisdictions: ['ocd-division/country:us/state:wi'] } }), event({ jurisdictions: [FULTON, 'ocd-division/country:us/state:wi/place:madison'] }))).toBe(true);
  });

  it('categories: any of the incident(s)', () => {
    expect(matches(subscription({ filter: { categories: ['phishing', 'ddos'] } }), event())).toBe(true);
    expect(matches(subscription({ filter: { categories: ['ransomware'] } }), event())).toBe(false);
  });
});

describe('tlpPermits', () => {
  it('red never leaves, whatever the clearance', () => {
    expect(tlpPermits(subscription({ clearance: 'red' }), event({ tlp: 'red' }))).toBe(false);
  });

  it('the label must be within the clearance', () => {
    expect(tlpPermits(subscription({ clearance: 'green' }), event({ tlp: 'amber' }))).toBe(false);
    expect(tlpPermits(subscription({ clearance: 'green' }), event({ tlp: 'clear' }))).toBe(true);
  });

  it('amber+strict only to the reporting organisation, for every incident of a cluster', () => {
    const strict = subscription({ clearance: 'amber+strict', owner: { sub: 'p', org: 'fulton' } });
    expect(tlpPermits(strict, event({ tlp: 'amber+strict', reportingOrgs: ['fulton'] }))).toBe(true);
    expect(tlpPermits(strict, event({ tlp: 'amber+strict', reportingOrgs: ['cobb'] }))).toBe(false);
    expect(tlpPermits(strict, event({ tlp: 'amber+strict', reportingOrgs: ['fulton', 'cobb'] }))).toBe(false);
    expect(tlpPermits(strict, event({ tlp: 'amber+strict', reportingOrgs: [undefined] }))).toBe(false);
    expect(tlpPermits(subscription({ clearance: 'amber+strict', owner: { sub: 'p' } }), event({ tlp: 'amber+strict', reportingOrgs: [undefined] }))).toBe(false);
  });
});
