import { commonStateToken, isOcdId, normalizeOcdId, ocdContains, parseOcdId, stateToken, tryParseOcdId } from './ocd-id';

describe('OCD-IDs', () => {
  it('parses segments and the state', () => {
    expect(parseOcdId('ocd-division/country:us/state:ga/county:fulton')).toEqual({
      id: 'ocd-division/country:us/state:ga/county:fulton',
      country: 'us',
      state: 'ga',
      parts: [
        { type: 'country', value: 'us' },
        { type: 'state', value: 'ga' },
        { type: 'county', value: 'fulton' },
      ],
    });
  });

  it('lower-cases and trims', () => {
    expect(normalizeOcdId(' OCD-Division/Country:US/State:WI/Place:Madison ')).toBe('ocd-division/country:us/state:wi/place:madison');
  });

  it('accepts the id characters of the spec', () => {
    expect(isOcdId('ocd-division/country:us/state:ny/place:new_york~borough-1.2')).toBe(true);
  });

  it.each([
    ['', 'must be 1 to'],
    ['ocd-division/country:ca/province:on', 'must start with'],
    ['ocd-jurisdiction/country:us/state:ga', 'must start with'],
    ['ocd-division/country:us/state', 'segment "state"'],
    ['ocd-division/country:us/state:', 'segment "state:"'],
    ['ocd-division/country:us/state:ga/', 'segment ""'],
    ['ocd-division/country:us/state:ga:x', 'segment "state:ga:x"'],
    ['ocd-division/country:us/state:g a', 'segment'],
    ['ocd-division/country:us/state:ga/county:fulton*', 'segment'],
  ])('rejects %j', (input, message) => {
    const result = tryParseOcdId(input);
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.message).toContain(message);
  });

  it('throws from parseOcdId on invalid input', () => {
    expect(() => parseOcdId('country:us')).toThrow(TypeError);
  });

  it.each([
    ['ocd-division/country:us/state:ga', 'ocd-division/country:us/state:ga/county:fulton', true],
    ['ocd-division/country:us/state:ga', 'ocd-division/country:us/state:ga', true],
    ['ocd-division/country:us', 'ocd-division/country:us/state:wi/place:madison', true],
    ['ocd-division/country:us/state:GA', 'ocd-division/country:us/state:ga/county:cobb', true],
    ['ocd-division/country:us/state:ga/county:fulton', 'ocd-division/country:us/state:ga', false],
    ['ocd-division/country:us/state:g', 'ocd-division/country:us/state:ga', false],
    ['ocd-division/country:us/state:ga', 'not-an-ocd-id', false],
  ])('%s contains %s: %s', (parent, child, contained) => {
    expect(ocdContains(parent, child)).toBe(contained);
  });

  it.each([
    ['ocd-division/country:us/state:ga/county:fulton', 'ga'],
    ['ocd-division/country:us/state:WI', 'wi'],
    ['ocd-division/country:us/territory:pr', 'pr'],
    ['ocd-division/country:us/district:dc', 'dc'],
    ['ocd-division/country:us', 'us'],
  ])('state token of %s is %s', (id, token) => {
    expect(stateToken(id)).toBe(token);
  });

  it('gives a cluster its common state or us', () => {
    expect(commonStateToken(['ocd-division/country:us/state:ga/county:fulton', 'ocd-division/country:us/state:ga'])).toBe('ga');
    expect(commonStateToken(['ocd-division/country:us/state:ga', 'ocd-division/country:us/state:wi'])).toBe('us');
    expect(commonStateToken([])).toBe('us');
  });
});
