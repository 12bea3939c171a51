import type { IncidentSubmission } from '@watchfloor/contracts';

const US = 'ocd-division/country:us';
export const state = (code: string) => `${US}/state:${code}`;
export const county = (code: string, name: string) => `${state(code)}/county:${name}`;

/** A report and who files it, as the demo tells it. */
export interface DemoReport {
  /** What the narrative calls it. */
  label: string;
  /** The state whose official files it (the token's jurisdiction). */
  state: string;
  submission: IncidentSubmission;
}

const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();

function reporter(name: string, organization: string, email: string) {
  return { name, organization, email, title: 'Elections Director' };
}

/**
 * One phishing wave seen by three Georgia counties: the same look-alike domain (unique to this
 * run, so each run forms its own campaign) in three jurisdictions makes triage call it a campaign.
 */
export function phishingWave(domain: string): DemoReport[] {
  const counties = [
    ['cobb', 'Cobb County Elections'],
    ['dekalb', 'DeKalb County Voter Registration & Elections'],
    ['gwinnett', 'Gwinnett County Elections'],
  ] as const;
  return counties.map(([name, organization], index) => ({
    label: `phishing, ${organization}`,
    state: 'ga',
    submission: {
      title: 'Poll workers phished for e-pollbook passwords',
      description: `Poll workers received an e-mail "from the Secretary of State" asking them to confirm their e-pollbook credentials at ${domain}.`,
      category: 'phishing',
      jurisdiction: county('ga', name),
      detectedAt: minutesAgo(40 - index * 10),
      phase: 'election_day',
      affectedAssets: ['email_office_it', 'e_pollbook'],
      impacts: { functionalImpact: 'no_impact_to_services', informationImpact: 'suspected_not_identified', recoverability: 'regular', actor: 'criminal', attackVector: 'email_phishing' },
      observables: [
        { type: 'domain', value: domain },
        { type: 'email', value: `elections@${domain}` },
      ],
      tlp: 'amber',
      reporter: reporter('County IT lead', organization, `it@${name}county.example.gov`),
    },
  }));
}

/** Targeted ransomware on Fulton's election management system: emergency, left unacknowledged. */
export function emsRansomware(hash: string): DemoReport {
  return {
    label: 'EMS ransomware, Fulton County',
    state: 'ga',
    submission: {
      title: 'EMS server encrypted, tabulation halted',
      description: 'The election management server shows a ransom note; central tabulation has stopped.',
      category: 'ransomware',
      jurisdiction: county('ga', 'fulton'),
      detectedAt: minutesAgo(5),
      phase: 'canvass',
      affectedAssets: ['election_management_system', 'tabulator_central'],
      impacts: {
        functionalImpact: 'denial_critical_or_loss_of_control', informationImpact: 'destruction_critical', recoverability: 'not_recoverable',
        observedActivity: 'effect', locationOfActivity: 'critical_systems', actor: 'apt_targeted', potentialImpact: 'severe',
      },
      observables: [{ type: 'sha256', value: hash }],
      tlp: 'amber',
      reporter: reporter('Dana Clerk', 'Fulton County Elections', 'dana.clerk@fultoncountyga.example.gov'),
    },
  };
}

/** A bomb threat phoned to a polling place: severe (people's safety), acknowledged by the officer. */
export function bombThreat(phone: string): DemoReport {
  return {
    label: 'bomb threat, Clayton County',
    state: 'ga',
    submission: {
      title: 'Phoned bomb threat at Precinct 12 (church hall)',
      description: 'A caller said a device was left in the polling place. Voters evacuated; police on site.',
      category: 'physical_threat',
      jurisdiction: county('ga', 'clayton'),
      detectedAt: minutesAgo(8),
      phase: 'election_day',
      affectedAssets: ['polling_place', 'personnel'],
      impacts: { functionalImpact: 'minimal_critical', informationImpact: 'no_impact', recoverability: 'regular', potentialImpact: 'high' },
      observables: [{ type: 'phone', value: phone }],
      tlp: 'green',
      reporter: reporter('Precinct manager', 'Clayton County Elections', 'elections@claytoncounty.example.gov'),
    },
  };
}

/** Reports from other states, so the floor is not only Georgia. */
export function otherStates(address: string): DemoReport[] {
  return [
    {
      label: 'polling place lookup DDoS, Pennsylvania',
      state: 'pa',
      submission: {
        title: 'Polling place lookup down under request flood', description: 'The lookup answers 503 for most voters since 07:40.',
        category: 'ddos', jurisdiction: state('pa'), detectedAt: minutesAgo(20), phase: 'election_day', affectedAssets: ['polling_place_lookup'],
        impacts: { functionalImpact: 'denial_non_critical', informationImpact: 'no_impact', recoverability: 'regular', observedActivity: 'effect', actor: 'hacktivist' },
        observables: [{ type: 'ipv4', value: address }], tlp: 'clear',
        reporter: reporter('Web operations', 'Pennsylvania Department of State', 'webops@dos.pa.example.gov'),
      },
    },
    {
      label: 'voter registration probing, Arizona',
      state: 'az',
      submission: {
        title: 'Unauthorised queries against the voter registration database', description: 'Scripted lookups from one address outside business hours.',
        category: 'unauthorized_access', jurisdiction: state('az'), detectedAt: minutesAgo(90), phase: 'election_day', affectedAssets: ['voter_registration_db'],
        impacts: {
          functionalImpact: 'minimal_critical', informationImpact: 'privacy_data_breach', recoverability: 'supplemented',
          observedActivity: 'presence', locationOfActivity: 'critical_system_dmz', actor: 'unknown',
        },
        observables: [], tlp: 'amber',
        reporter: reporter('Security officer', 'Arizona Secretary of State', 'security@azsos.example.gov'),
      },
    },
    {
      label: 'false polling hours, Dane County, Wisconsin',
      state: 'wi',
      submission: {
        title: 'Viral post claims polls close at 5 p.m.', description: 'A post shared thousands of times gives the wrong closing time.',
        category: 'disinformation', jurisdiction: county('wi', 'dane'), detectedAt: minutesAgo(30), phase: 'election_day', affectedAssets: ['social_media_account'],
        impacts: { functionalImpact: 'no_impact', informationImpact: 'no_impact', recoverability: 'regular', potentialImpact: 'low' },
        observables: [], tlp: 'clear',
        reporter: reporter('Clerk', 'Dane County Clerk', 'clerk@danecounty.example.gov'),
      },
    },
    {
      label: 'e-pollbook outage, DeKalb County',
      state: 'ga',
      submission: {
        title: 'E-pollbooks cannot sync at 14 precincts', description: 'Check-in is on paper backup at 14 precincts; lines are growing.',
        category: 'equipment_malfunction', jurisdiction: county('ga', 'dekalb'), detectedAt: minutesAgo(15), phase: 'election_day',
        affectedAssets: ['e_pollbook', 'polling_place'],
        impacts: { functionalImpact: 'significant_critical', informationImpact: 'no_impact', recoverability: 'supplemented' },
        observables: [], tlp: 'green',
        reporter: reporter('Elections Director', 'DeKalb County Voter Registration & Elections', 'elections@dekalbcounty.example.gov'),
      },
    },
  ];
}
