/**
 * The narrowest OCD-ID containing every one of `ids` (segment by segment), e.g. the state
 * of several counties, or `ocd-division/country:us` when they span states.
 */
export function commonJurisdiction(ids: readonly string[]): string {
  const split = ids.map((id) => id.split('/'));
  const first = split[0] ?? [];
  let length = 0;
  while (length < first.length && split.every((parts) => parts[length] === first[length])) length++;
  return length >= 2 ? first.slice(0, length).join('/') : 'ocd-division/country:us';
}
