// OCD-IDs in words: "ocd-division/country:us/state:ga/county:fulton" -> "Fulton County, Georgia".

const TERRITORIES = new Set(['pr', 'gu', 'vi', 'as', 'mp']);

const STATES: Record<string, string> = {
  al: 'Alabama', ak: 'Alaska', az: 'Arizona', ar: 'Arkansas', ca: 'California', co: 'Colorado', ct: 'Connecticut',
  de: 'Delaware', dc: 'District of Columbia', fl: 'Florida', ga: 'Georgia', hi: 'Hawaii', id: 'Idaho', il: 'Illinois',
  in: 'Indiana', ia: 'Iowa', ks: 'Kansas', ky: 'Kentucky', la: 'Louisiana', me: 'Maine', md: 'Maryland',
  ma: 'Massachusetts', mi: 'Michigan', mn: 'Minnesota', ms: 'Mississippi', mo: 'Missouri', mt: 'Montana',
  ne: 'Nebraska', nv: 'Nevada', nh: 'New Hampshire', nj: 'New Jersey', nm: 'New Mexico', ny: 'New York',
  nc: 'North Carolina', nd: 'North Dakota', oh: 'Ohio', ok: 'Oklahoma', or: 'Oregon', pa: 'Pennsylvania',
  ri: 'Rhode Island', sc: 'South Carolina', sd: 'South Dakota', tn: 'Tennessee', tx: 'Texas', ut: 'Utah',
  vt: 'Vermont', va: 'Virginia', wa: 'Washington', wv: 'West Virginia', wi: 'Wisconsin', wy: 'Wyoming',
  pr: 'Puerto Rico', gu: 'Guam', vi: 'U.S. Virgin Islands', as: 'American Samoa', mp: 'Northern Mariana Islands',
};

/** The OCD-IDs of states, the District and the territories, with their names, for pickers. */
export const STATE_JURISDICTIONS: ReadonlyArray<{ id: string; name: string }> = Object.entries(STATES)
  .map(([code, name]) => ({ id: `ocd-division/country:us/${code === 'dc' ? 'district' : TERRITORIES.has(code) ? 'territory' : 'state'}:${code}`, name }))
  .sort((a, b) => a.name.localeCompare(b.name));

const KINDS: Record<string, string> = { county: 'County', parish: 'Parish', borough: 'Borough', place: '', cd: 'Congressional District', sldl: 'State House District', sldu: 'State Senate District' };

const titleCase = (text: string) => text.replace(/[_~-]/g, ' ').replace(/\b\p{L}/gu, (letter) => letter.toUpperCase());

/** A readable name for an OCD-ID, most specific part first; the id itself when it is not one. */
export function jurisdictionName(ocdId: string): string {
  const parts = ocdId.toLowerCase().split('/').slice(1).map((part) => part.split(':') as [string, string | undefined]);
  if (parts.length === 0 || parts.some(([, value]) => value === undefined)) return ocdId;
  const names = parts.map(([kind, value = '']) => {
    if (kind === 'country') return value === 'us' ? 'United States' : value.toUpperCase();
    if (kind === 'state' || kind === 'territory' || kind === 'district') return STATES[value] ?? titleCase(value);
    const word = KINDS[kind];
    return word === undefined ? `${titleCase(kind)} ${titleCase(value)}` : `${titleCase(value)}${word ? ` ${word}` : ''}`;
  });
  const [first, ...rest] = names.reverse();
  // "Fulton County, Georgia": the country adds nothing once a state is named.
  const context = rest.filter((name) => name !== 'United States').slice(0, 1);
  return [first, ...context].join(', ');
}

/** Whether `inner` is `outer` or inside it (DOMAIN.md: containment by prefix plus `/`). */
export function isWithin(inner: string, outer: string): boolean {
  const a = inner.toLowerCase();
  const b = outer.toLowerCase();
  return a === b || a.startsWith(`${b}/`);
}
