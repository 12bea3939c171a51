import { UnauthenticatedError } from '../errors/domain-error';
import { canActFor, canSee, hasAnyRole } from './access';
import type { Caller } from './caller';
import { callerFromClaims } from './claims';

const GA = 'ocd-division/country:us/state:ga';

describe('callerFromClaims', () => {
  it('reads the Watchfloor claims', () => {
    expect(
      callerFromClaims({ sub: 'u1', name: 'Clerk', roles: ['official'], jurisdiction: GA, clearance: 'amber', org: 'GA SoS' }),
    ).toEqual({ sub: 'u1', name: 'Clerk', roles: ['official'], jurisdiction: GA, clearance: 'amber', org: 'GA SoS' });
  });

  it('defaults to clearance clear, no jurisdiction, the sub as name, and ignores unknown roles', () => {
    expect(callerFromClaims({ sub: 'u2', roles: ['official', 'other-app-admin'] })).toEqual({
      sub: 'u2',
      name: 'u2',
      roles: ['official'],
      jurisdiction: undefined,
      clearance: 'clear',
      org: undefined,
    });
  });

  it.each([
    [{ roles: [] }, 'sub'],
    [{ sub: '' }, 'sub'],
    [{ sub: 'u', roles: 'official' }, 'roles'],
    [{ sub: 'u', roles: [1] }, 'roles'],
    [{ sub: 'u', jurisdiction: 'georgia' }, 'jurisdiction'],
    [{ sub: 'u', clearance: 'secret' }, 'clearance'],
    [{ sub: 'u', name: 42 }, 'name'],
  ])('refuses %j (claim %s)', (payload, claim) => {
    expect(() => callerFromClaims(payload)).toThrow(UnauthenticatedError);
    expect(() => callerFromClaims(payload)).toThrow(claim);
  });
});

describe('access helpers', () => {
  const clerk: Caller = { sub: 'c', name: 'c', roles: ['official'], jurisdiction: GA, clearance: 'amber' };

  it('canActFor follows OCD-ID containment', () => {
    expect(canActFor(clerk, GA)).toBe(true);
    expect(canActFor(clerk, `${GA}/county:fulton`)).toBe(true);
    expect(canActFor(clerk, 'ocd-division/country:us/state:gaz')).toBe(false);
    expect(canActFor(clerk, 'ocd-division/country:us')).toBe(false);
    expect(canActFor({ ...clerk, jurisdiction: undefined }, GA)).toBe(false);
  });

  it('canSee follows TLP order', () => {
    expect(canSee(clerk, 'clear')).toBe(true);
    expect(canSee(clerk, 'amber')).toBe(true);
    expect(canSee(clerk, 'amber+strict')).toBe(false);
    expect(canSee(clerk, 'red')).toBe(false);
  });

  it('hasAnyRole lets admin through every role check', () => {
    expect(hasAnyRole(clerk, ['official', 'automation'])).toBe(true);
    expect(hasAnyRole(clerk, ['triage'])).toBe(false);
    expect(hasAnyRole({ ...clerk, roles: ['admin'] }, ['auditor'])).toBe(true);
  });
});
