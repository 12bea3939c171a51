/** One `type:value` segment of an OCD-ID, e.g. `{ type: 'county', value: 'fulton' }`. */
export interface OcdIdPart {
  type: string;
  value: string;
}

/** A parsed, lower-cased Open Civic Data division identifier. */
export interface OcdId {
  /** The normalised identifier, e.g. `ocd-division/country:us/state:ga/county:fulton`. */
  id: string;
  /** Always `us`: Watchfloor serves US elections. */
  country: 'us';
  /** Two-letter code of the state, territory or district (`dc`) when the id is below one. */
  state?: string;
  /** Every segment after `ocd-division/`, starting with `country:us`. */
  parts: OcdIdPart[];
}

export type OcdIdResult = { ok: true; value: OcdId } | { ok: false; message: string };

/** Prefix every Watchfloor jurisdiction starts with. */
export const OCD_ID_ROOT = 'ocd-division/country:us';

/** State token of incidents and events of national scope. */
export const NATIONAL_STATE_TOKEN = 'us';

/** Longest OCD-ID accepted; real ones are well under 200 characters. */
export const OCD_ID_MAX_LENGTH = 300;

// OCD types are lower-case words with underscores; values allow the spec's id characters
// (letters, digits, `_`, `-`, `.`, `~`) but never `:` or `/`, which delimit the grammar.
const TYPE_PATTERN = /^[a-z][a-z0-9_]*$/;
const VALUE_PATTERN = /^[a-z0-9_.~-]+$/;
// First-level divisions whose two-letter value is a state token: states, territories
// (`territory:pr`) and the District of Columbia (`district:dc`).
const STATE_LEVEL_TYPES = new Set(['state', 'territory', 'district']);
const STATE_TOKEN_PATTERN = /^[a-z]{2}$/;

/** Parses and lower-cases an OCD-ID under `ocd-division/country:us`; never throws. */
export function tryParseOcdId(input: unknown): OcdIdResult {
  if (typeof input !== 'string') return { ok: false, message: 'must be a string' };
  const id = input.trim().toLowerCase();
  if (id.length === 0 || id.length > OCD_ID_MAX_LENGTH) {
    return { ok: false, message: `must be 1 to ${OCD_ID_MAX_LENGTH} characters` };
  }
  const [scheme, ...segments] = id.split('/');
  if (scheme !== 'ocd-division' || segments[0] !== 'country:us') {
    return { ok: false, message: `must start with ${OCD_ID_ROOT}` };
  }
  const parts: OcdIdPart[] = [];
  for (const segment of segments) {
    const colon = segment.indexOf(':');
    const type = colon < 0 ? segment : segment.slice(0, colon);
    const value = colon < 0 ? '' : segment.slice(colon + 1);
    if (!TYPE_PATTERN.test(type) || !VALUE_PATTERN.test(value)) {
      return { ok: false, message: `segment "${segment}" must be type:value (lower-case letters, digits, _ - . ~)` };
    }
    parts.push({ type, value });
  }
  const first = parts[1];
  const state = first && STATE_LEVEL_TYPES.has(first.type) && STATE_TOKEN_PATTERN.test(first.value) ? first.value : undefined;
  return { ok: true, value: { id, country: 'us', ...(state ? { state } : {}), parts } };
}

/** Parses an OCD-ID; throws a `TypeError` naming the problem when it is not one. */
export function parseOcdId(input: string): OcdId {
  const result = tryParseOcdId(input);
  if (!result.ok) throw new TypeError(`Invalid OCD-ID "${String(input)}": ${result.message}`);
  return result.value;
}

/** Whether `input` is a valid OCD-ID under `ocd-division/country:us` (any case). */
export function isOcdId(input: unknown): input is string {
  return tryParseOcdId(input).ok;
}

/** The lower-cased, trimmed form of an OCD-ID; throws when invalid. */
export function normalizeOcdId(input: string): string {
  return parseOcdId(input).id;
}

/**
 * Whether jurisdiction `parent` contains `child`: equal, or `child` starts with `parent + '/'`.
 * Both are normalised first; an invalid id contains nothing and is contained by nothing.
 */
export function ocdContains(parent: string, child: string): boolean {
  const p = tryParseOcdId(parent);
  const c = tryParseOcdId(child);
  if (!p.ok || !c.ok) return false;
  return c.value.id === p.value.id || c.value.id.startsWith(`${p.value.id}/`);
}

/**
 * The state token used in event subjects: the two-letter state, territory or district code
 * (`ga` for `.../state:ga/county:fulton`), or `us` for national scope. Throws when invalid.
 */
export function stateToken(ocdId: string): string {
  return parseOcdId(ocdId).state ?? NATIONAL_STATE_TOKEN;
}

/**
 * The one state token for several jurisdictions (a cluster): their common state, or `us`
 * when they span states or the list is empty.
 */
export function commonStateToken(ocdIds: readonly string[]): string {
  const tokens = new Set(ocdIds.map(stateToken));
  const [only] = tokens;
  return tokens.size === 1 && only ? only : NATIONAL_STATE_TOKEN;
}
