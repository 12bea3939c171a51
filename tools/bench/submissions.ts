import {
  ACTORS,
  ATTACK_VECTORS,
  ELECTION_ASSETS,
  ELECTION_PHASES,
  FUNCTIONAL_IMPACTS,
  INCIDENT_CATEGORIES,
  INFORMATION_IMPACTS,
  IncidentSubmission,
  LOCATION_OF_ACTIVITY,
  OBSERVED_ACTIVITY,
  POTENTIAL_IMPACTS,
  RECOVERABILITY,
  TLP_LEVELS,
  validateInstance,
  type ObservableType,
} from '@watchfloor/contracts';
import { Random } from '@watchfloor/testing';


interface State {
  code: string;
  name: string;
  areaCode: string;
  counties: readonly string[];
}

// Swing states and their big counties: the jurisdictions that report the most.
const STATES: readonly State[] = [
  { code: 'ga', name: 'Georgia', areaCode: '404', counties: ['fulton', 'cobb', 'dekalb', 'gwinnett', 'chatham'] },
  { code: 'pa', name: 'Pennsylvania', areaCode: '215', counties: ['philadelphia', 'allegheny', 'montgomery', 'bucks'] },
  { code: 'az', name: 'Arizona', areaCode: '602', counties: ['maricopa', 'pima', 'pinal'] },
  { code: 'mi', name: 'Michigan', areaCode: '313', counties: ['wayne', 'oakland', 'kent', 'macomb'] },
  { code: 'wi', name: 'Wisconsin', areaCode: '608', counties: ['milwaukee', 'dane', 'waukesha'] },
  { code: 'nc', name: 'North Carolina', areaCode: '919', counties: ['wake', 'mecklenburg', 'guilford'] },
  { code: 'nv', name: 'Nevada', areaCode: '702', counties: ['clark', 'washoe'] },
];

const FIRST_NAMES = ['Dana', 'Luis', 'Priya', 'Marcus', 'Grace', 'Tomasz', 'Aisha', 'Kenji', 'Rosa', 'Owen'] as const;
const LAST_NAMES = ['Clerk', 'Hernandez', 'Okafor', 'Nguyen', 'Kowalski', 'Bennett', 'Haddad', 'Larsen', 'Moreau', 'Patel'] as const;
const JOB_TITLES = ['County Clerk', 'Elections Director', 'IT Manager', 'Deputy Registrar', 'Poll Worker Coordinator'] as const;
const TLDS = ['com', 'net', 'org', 'info', 'us'] as const;
const OBSERVABLE_KINDS: readonly ObservableType[] = ['ipv4', 'ipv6', 'domain', 'url', 'email', 'sha256', 'md5', 'phone', 'social_handle', 'file_name'];
const FILLER =
  'Staff noticed the activity during routine checks and preserved what they could. ' +
  'The county IT team has been informed and is reviewing logs from the affected systems. ';

const titleCase = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);

/** `n` varied valid submissions for callers whose jurisdiction covers the whole country. */
export function generateSubmissions(n: number, seed: number, now = new Date()): IncidentSubmission[] {
  const random = new Random(seed);
  return Array.from({ length: n }, () => aVariedSubmission(random, now));
}

function aVariedSubmission(random: Random, now: Date): IncidentSubmission {
  const state = random.pick(STATES);
  // One in ten reports is about the whole state rather than one county.
  const county = random.chance(0.1) ? undefined : random.pick(state.counties);
  const place = county ? `${titleCase(county)} County, ${state.name}` : state.name;
  const category = random.pick(INCIDENT_CATEGORIES);
  const detectedAt = new Date(now.getTime() - random.int(1, 720) * 60_000);
  const submission: IncidentSubmission = {
    title: `${titleCase(category.replace(/_/g, ' '))} reported in ${place}`,
    // Lengths from one to twenty sentences, so body sizes vary like real reports.
    description: `${titleCase(category.replace(/_/g, ' '))} in ${place}. ${FILLER.repeat(random.int(0, 10))}`.trim(),
    category,
    jurisdiction: `ocd-division/country:us/state:${state.code}${county ? `/county:${county}` : ''}`,
    detectedAt: detectedAt.toISOString(),
    affectedAssets: random.some(ELECTION_ASSETS, 3),
    impacts: impacts(random),
    observables: random.some(OBSERVABLE_KINDS, 6).map((type) => ({ type, value: observableValue(random, type, state) })),
    tlp: random.pick(TLP_LEVELS),
    reporter: reporter(random, state, county),
  };
  if (random.chance(0.5)) submission.occurredAt = new Date(detectedAt.getTime() - random.int(0, 240) * 60_000).toISOString();
  if (random.chance(0.3)) submission.phase = random.pick(ELECTION_PHASES);
  return submission;
}

function impacts(random: Random): IncidentSubmission['impacts'] {
  return {
    functionalImpact: random.pick(FUNCTIONAL_IMPACTS),
    informationImpact: random.pick(INFORMATION_IMPACTS),
    recoverability: random.pick(RECOVERABILITY),
    ...(random.chance(0.5) ? { observedActivity: random.pick(OBSERVED_ACTIVITY) } : {}),
    ...(random.chance(0.3) ? { locationOfActivity: random.pick(LOCATION_OF_ACTIVITY) } : {}),
    ...(random.chance(0.4) ? { actor: random.pick(ACTORS) } : {}),
    ...(random.chance(0.6) ? { attackVector: random.pick(ATTACK_VECTORS) } : {}),
    ...(random.chance(0.3) ? { potentialImpact: random.pick(POTENTIAL_IMPACTS) } : {}),
  };
}

function reporter(random: Random, state: State, county: string | undefined): IncidentSubmission['reporter'] {
  const first = random.pick(FIRST_NAMES);
  const last = random.pick(LAST_NAMES);
  const office = county ? `${county}county${state.code}` : `sos${state.code}`;
  return {
    name: `${first} ${last}`,
    ...(random.chance(0.9) ? { email: `${first}.${last}@${office}.gov`.toLowerCase() } : {}),
    ...(random.chance(0.7) ? { phone: `+1 ${state.areaCode} 555 01${String(random.int(0, 99)).padStart(2, '0')}` } : {}),
    organization: county ? `${titleCase(county)} County Elections` : `${state.name} Secretary of State`,
    ...(random.chance(0.8) ? { title: random.pick(JOB_TITLES) } : {}),
  };
}

function observableValue(random: Random, type: ObservableType, state: State): string {
  const domain = `${state.code}-vote-${random.hex(6)}.${random.pick(TLDS)}`;
  switch (type) {
    case 'ipv4':
      return `${random.int(1, 223)}.${random.int(0, 255)}.${random.int(0, 255)}.${random.int(1, 254)}`;
    case 'ipv6':
      return `2001:db8:${random.hex(4)}::${random.hex(4)}`;
    case 'domain':
      return domain;
    case 'url':
      return `https://${domain}/login/${random.hex(8)}?ref=${random.hex(4)}`;
    case 'email':
      return `elections-${random.hex(4)}@${domain}`;
    case 'sha256':
      return random.hex(64);
    case 'md5':
      return random.hex(32);
    case 'phone':
      return `+1 ${state.areaCode} 555 01${String(random.int(0, 99)).padStart(2, '0')}`;
    case 'social_handle':
      return `x:@${state.code}_votes_${random.hex(5)}`;
    case 'file_name':
      return `ballot_update_${random.hex(6)}.pdf.exe`;
  }
}

/**
 * Checks every generated body against the contract, so a benchmark never measures 400s
 * by accident: a generator bug fails the run before any load is sent.
 */
export function assertAllValid(submissions: readonly IncidentSubmission[]): void {
  submissions.forEach((submission, index) => {
    const result = validateInstance(IncidentSubmission, JSON.parse(JSON.stringify(submission)) as unknown);
    if (!result.ok) {
      const problems = result.errors.map((error) => `${error.field}: ${error.message}`).join('; ');
      throw new Error(`generated submission ${index} is invalid: ${problems}`);
    }
  });
}
