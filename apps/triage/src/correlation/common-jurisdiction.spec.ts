import { commonJurisdiction } from './common-jurisdiction';

describe('commonJurisdiction', () => {
  it('is the narrowest OCD-ID containing them all', () => {
    const ga = 'ocd-division/country:us/state:ga';
    expect(commonJurisdiction([`${ga}/county:cobb`, `${ga}/county:fulton`])).toBe(ga);
    expect(commonJurisdiction([`${ga}/county:cobb`, `${ga}/county:cobb`])).toBe(`${ga}/county:cobb`);
    expect(commonJurisdiction([`${ga}/county:cobb`, 'ocd-division/country:us/state:wi'])).toBe('ocd-division/country:us');
    // Segment by segment, not character by character: county:cobb is not inside county:co.
    expect(commonJurisdiction([`${ga}/county:cobb`, `${ga}/county:co`])).toBe(ga);
  });
});
