import { isWithin, jurisdictionName, STATE_JURISDICTIONS } from './jurisdiction';

describe('jurisdictionName', () => {
  it.each([
    ['ocd-division/country:us', 'United States'],
    ['ocd-division/country:us/state:ga', 'Georgia'],
    ['ocd-division/country:us/state:ga/county:fulton', 'Fulton County, Georgia'],
    ['ocd-division/country:us/state:wi/place:madison', 'Madison, Wisconsin'],
    ['ocd-division/country:us/state:ny/county:new_york', 'New York County, New York'],
    ['not an ocd-id', 'not an ocd-id'],
  ])('%s reads "%s"', (ocdId, name) => {
    expect(jurisdictionName(ocdId)).toBe(name);
  });
});

describe('isWithin', () => {
  it('contains itself and what starts with it plus a slash, not a longer name', () => {
    expect(isWithin('ocd-division/country:us/state:ga/county:fulton', 'ocd-division/country:us/state:ga')).toBe(true);
    expect(isWithin('ocd-division/country:us/state:ga', 'ocd-division/country:us/state:ga')).toBe(true);
    expect(isWithin('ocd-division/country:us/state:gaz', 'ocd-division/country:us/state:ga')).toBe(false);
  });
});

describe('STATE_JURISDICTIONS', () => {
  it('names every state, the District and the territories by their OCD-IDs, as jurisdictionName reads them', () => {
    const byName = new Map(STATE_JURISDICTIONS.map(({ id, name }) => [name, id]));
    expect(byName.get('Georgia')).toBe('ocd-division/country:us/state:ga');
    expect(byName.get('District of Columbia')).toBe('ocd-division/country:us/district:dc');
    expect(byName.get('Puerto Rico')).toBe('ocd-division/country:us/territory:pr');
    expect(STATE_JURISDICTIONS).toHaveLength(56);
    for (const { id, name } of STATE_JURISDICTIONS) expect(jurisdictionName(id)).toBe(name);
  });
});
