import { draftOf, emptySubscriptionDraft, subscriptionErrors, subscriptionFieldOf, toSubscriptionBody } from './subscription-draft';

describe('the subscription form', () => {
  it('leaves out what was not chosen and sends the filter whole', () => {
    const body = toSubscriptionBody({ ...emptySubscriptionDraft(), name: ' SOAR ', target: ' https://soar.example/hook ' });
    expect(body).toEqual({
      name: 'SOAR',
      channel: 'webhook',
      target: 'https://soar.example/hook',
      events: ['watchfloor.incident.reported.v1', 'watchfloor.incident.triaged.v1'],
      filter: {},
    });
    const filtered = toSubscriptionBody({
      ...emptySubscriptionDraft(),
      minPriority: 'high',
      jurisdictions: 'ocd-division/country:us/state:ga\n ocd-division/country:us/state:az, ',
      categories: ['phishing'],
    });
    expect(filtered.filter).toEqual({ minPriority: 'high', jurisdictions: ['ocd-division/country:us/state:ga', 'ocd-division/country:us/state:az'], categories: ['phishing'] });
  });

  it('reads a subscription back into the form', () => {
    const draft = draftOf({
      id: 'x',
      name: 'SOAR',
      channel: 'webhook',
      target: 'https://soar.example/hook',
      events: ['watchfloor.incident.escalated.v1'],
      filter: { jurisdictions: ['ocd-division/country:us/state:ga', 'ocd-division/country:us/state:az'] },
      owner: { sub: 'partner-1' },
      clearance: 'amber',
      previousSecretExpiresAt: null,
      version: 1,
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-01T00:00:00.000Z',
    });
    expect(draft.jurisdictions).toBe('ocd-division/country:us/state:ga\nocd-division/country:us/state:az');
    expect(toSubscriptionBody(draft).filter).toEqual({ jurisdictions: ['ocd-division/country:us/state:ga', 'ocd-division/country:us/state:az'] });
  });

  it('puts each API error beside its field', () => {
    expect(subscriptionFieldOf('filter.jurisdictions[1]')).toBe('jurisdictions');
    expect(subscriptionFieldOf('events[0]')).toBe('events');
    expect(subscriptionFieldOf('filter.minPriority')).toBe('minPriority');
    expect(subscriptionErrors([{ field: 'target', message: 'a' }, { field: 'target', message: 'b' }])).toEqual({ target: ['a', 'b'] });
  });
});
