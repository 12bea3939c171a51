/** Incident categories (`category`). Add values, never rename or remove them. */
export const INCIDENT_CATEGORIES = [
  'phishing',
  'malware',
  'ransomware',
  'account_compromise',
  'unauthorized_access',
  'ddos',
  'website_defacement',
  'data_exposure',
  'equipment_malfunction',
  'equipment_loss_or_theft',
  'physical_threat',
  'swatting_or_doxxing',
  'suspicious_mail',
  'disinformation',
  'insider_threat',
  'voter_registration_anomaly',
  'results_reporting_anomaly',
  'other',
] as const;
export type IncidentCategory = (typeof INCIDENT_CATEGORIES)[number];

/** Categories that threaten people: always at least `severe`, with the "call 911" guidance. */
export const SAFETY_CATEGORIES = ['physical_threat', 'swatting_or_doxxing', 'suspicious_mail'] as const satisfies readonly IncidentCategory[];

/** Election assets (`affectedAssets[]`). */
export const ELECTION_ASSETS = [
  'voter_registration_db',
  'online_voter_registration',
  'e_pollbook',
  'ballot_marking_device',
  'tabulator_precinct',
  'tabulator_central',
  'election_management_system',
  'enr_website',
  'ballot_delivery_portal',
  'polling_place_lookup',
  'email_office_it',
  'social_media_account',
  'polling_place',
  'central_count_facility',
  'storage_facility',
  'ballot_drop_box',
  'mail_ballot_processing',
  'election_office',
  'personnel',
] as const;
export type ElectionAsset = (typeof ELECTION_ASSETS)[number];

/** Assets whose incidents are at least `high` during voting phases (the phase adjustment). */
export const VOTING_CRITICAL_ASSETS = [
  'voter_registration_db',
  'e_pollbook',
  'ballot_marking_device',
  'tabulator_precinct',
  'tabulator_central',
  'election_management_system',
  'enr_website',
  'polling_place',
  'central_count_facility',
  'mail_ballot_processing',
] as const satisfies readonly ElectionAsset[];
export type VotingCriticalAsset = (typeof VOTING_CRITICAL_ASSETS)[number];

/** Election phases (`phase`), derived from the calendar or stated by the reporter. */
export const ELECTION_PHASES = ['pre_election', 'early_voting', 'election_day', 'canvass', 'certification', 'off_cycle'] as const;
export type ElectionPhase = (typeof ELECTION_PHASES)[number];

/** Phases in which the phase adjustment applies to voting-critical assets. */
export const VOTING_PHASES = ['early_voting', 'election_day', 'canvass'] as const satisfies readonly ElectionPhase[];

/** True when `value` is one of the values of the `as const` list `values`. */
export function isOneOf<T extends string>(values: readonly T[], value: unknown): value is T {
  return typeof value === 'string' && (values as readonly string[]).includes(value);
}
