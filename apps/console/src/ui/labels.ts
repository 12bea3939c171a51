// Plain words for the contract's enums. Each map is a Record over the contract's type, so a
// value added to DOMAIN.md fails the type check here until it has its words.
import type {
  DeliveryChannel,
  DeliveryStatus,
  ElectionAsset,
  EventType,
  FunctionalImpact,
  IncidentCategory,
  IncidentStatus,
  InformationImpact,
  ObservableType,
  PriorityLevel,
  Recoverability,
  Resolution,
  ScoreFactor,
  Tlp,
  TrackingStatus,
} from '@watchfloor/contracts';

export const CATEGORY_LABELS: Record<IncidentCategory, string> = {
  phishing: 'Phishing e-mail or message',
  malware: 'Malicious software (malware)',
  ransomware: 'Ransomware (files locked, ransom asked)',
  account_compromise: 'An account was taken over',
  unauthorized_access: 'Someone got in without permission',
  ddos: 'A website or service flooded with traffic (DDoS)',
  website_defacement: 'A website was defaced',
  data_exposure: 'Data was exposed or leaked',
  equipment_malfunction: 'Equipment stopped working properly',
  equipment_loss_or_theft: 'Equipment lost or stolen',
  physical_threat: 'A threat of violence or harm',
  swatting_or_doxxing: 'Swatting or doxxing',
  suspicious_mail: 'Suspicious mail or package',
  disinformation: 'False information about the election',
  insider_threat: 'Someone inside acting against the office',
  voter_registration_anomaly: 'Something odd in voter registration',
  results_reporting_anomaly: 'Something odd in results reporting',
  other: 'Something else',
};

export const ASSET_LABELS: Record<ElectionAsset, string> = {
  voter_registration_db: 'Voter registration database',
  online_voter_registration: 'Online voter registration',
  e_pollbook: 'Electronic pollbooks',
  ballot_marking_device: 'Ballot marking devices',
  tabulator_precinct: 'Precinct tabulators',
  tabulator_central: 'Central count tabulators',
  election_management_system: 'Election management system',
  enr_website: 'Election-night results website',
  ballot_delivery_portal: 'Ballot delivery portal',
  polling_place_lookup: 'Polling place lookup',
  email_office_it: 'E-mail and office IT',
  social_media_account: 'Social media account',
  polling_place: 'Polling place',
  central_count_facility: 'Central count facility',
  storage_facility: 'Storage facility',
  ballot_drop_box: 'Ballot drop box',
  mail_ballot_processing: 'Mail ballot processing',
  election_office: 'Election office',
  personnel: 'Staff or poll workers',
};

/** "What did it stop?" */
export const FUNCTIONAL_IMPACT_LABELS: Record<FunctionalImpact, string> = {
  no_impact: 'Nothing: no effect at all',
  no_impact_to_services: 'Nothing the public or staff rely on',
  minimal_non_critical: 'A little, in a system that is not critical',
  minimal_critical: 'A little, in a critical system',
  significant_non_critical: 'A lot, in a system that is not critical',
  denial_non_critical: 'A non-critical system stopped completely',
  significant_critical: 'A lot, in a critical system',
  denial_critical_or_loss_of_control: 'A critical system stopped, or we lost control of it',
};

/** "What was exposed?" */
export const INFORMATION_IMPACT_LABELS: Record<InformationImpact, string> = {
  no_impact: 'Nothing was exposed',
  suspected_not_identified: 'Something may have been, we do not know what',
  privacy_data_breach: "People's personal data",
  proprietary_information_breach: "The office's or a vendor's confidential information",
  destruction_non_critical: 'Non-critical data was destroyed',
  critical_systems_data_breach: 'Data of a critical election system',
  core_credential_compromise: 'Passwords or keys of important accounts',
  destruction_critical: 'Critical data was destroyed',
};

/** "How hard does recovery look?" */
export const RECOVERABILITY_LABELS: Record<Recoverability, string> = {
  regular: 'We can recover with what we have',
  supplemented: 'We can recover with some outside help',
  extended: 'Recovery needs outside help and will take time',
  not_recoverable: 'It cannot be recovered',
};

export const OBSERVABLE_LABELS: Record<ObservableType, string> = {
  domain: 'Web domain',
  url: 'Web address (URL)',
  email: 'E-mail address',
  ipv4: 'IP address (v4)',
  ipv6: 'IP address (v6)',
  phone: 'Phone number',
  social_handle: 'Social media handle',
  file_name: 'File name',
  sha256: 'File hash (SHA-256)',
  md5: 'File hash (MD5)',
};

/** TLP 2.0, in the words of FIRST's definitions. */
export const TLP_LABELS: Record<Tlp, { name: string; meaning: string }> = {
  clear: { name: 'TLP:CLEAR', meaning: 'Anyone may see it; it can be made public.' },
  green: { name: 'TLP:GREEN', meaning: 'The election security community may see it, not the public.' },
  amber: { name: 'TLP:AMBER', meaning: 'Only organisations that need it to protect themselves or you (the usual choice).' },
  'amber+strict': { name: 'TLP:AMBER+STRICT', meaning: 'Only your own organisation and the operations center.' },
  red: { name: 'TLP:RED', meaning: 'Only the operations center staff; never sent to partners.' },
};

export const TRACKING_STATUS_LABELS: Record<TrackingStatus, string> = {
  received: 'Received',
  triaged: 'Triaged',
  acknowledged: 'Acknowledged',
  investigating: 'Investigating',
  mitigated: 'Mitigated',
  resolved: 'Resolved',
  closed: 'Closed',
};

export const STATUS_LABELS: Record<IncidentStatus, string> = {
  new: 'New',
  acknowledged: 'Acknowledged',
  investigating: 'Investigating',
  mitigated: 'Mitigated',
  resolved: 'Resolved',
  closed: 'Closed',
};

export const PRIORITY_LABELS: Record<PriorityLevel, string> = {
  baseline: 'Baseline',
  low: 'Low',
  medium: 'Medium',
  high: 'High',
  severe: 'Severe',
  emergency: 'Emergency',
};

export const RESOLUTION_LABELS: Record<Resolution, string> = {
  contained: 'Contained',
  mitigated: 'Mitigated',
  false_positive: 'False positive',
  duplicate: 'Duplicate',
  information_only: 'Information only',
  referred_to_law_enforcement: 'Referred to law enforcement',
  benign: 'Benign',
};

export const FACTOR_LABELS: Record<ScoreFactor, string> = {
  functionalImpact: 'Functional impact',
  observedActivity: 'Observed activity',
  locationOfActivity: 'Location of activity',
  actor: 'Actor',
  informationImpact: 'Information impact',
  recoverability: 'Recoverability',
  potentialImpact: 'Potential impact',
};

export const DELIVERY_STATUS_LABELS: Record<DeliveryStatus, string> = {
  pending: 'Waiting to be sent',
  delivered: 'Delivered',
  failed: 'Failed, will retry',
  dead: 'Dead: gave up',
};

export const CHANNEL_LABELS: Record<DeliveryChannel, string> = {
  webhook: 'Webhook (signed HTTPS POST)',
  email: 'E-mail',
};

/**
 * The events a subscription may ask for (notification's routable events, docs/notification.md),
 * in words. Typed against the contract's event types; notification refuses any other (400 naming `events`).
 */
export const SUBSCRIBABLE_EVENT_LABELS = {
  'watchfloor.incident.reported.v1': 'Reported: a new incident',
  'watchfloor.incident.updated.v1': 'Updated: new information or clues',
  'watchfloor.incident.triaged.v1': 'Triaged: scored and given a priority',
  'watchfloor.incident.reprioritized.v1': 'Priority changed',
  'watchfloor.incident.assigned.v1': 'Assigned to someone',
  'watchfloor.incident.acknowledged.v1': 'Acknowledged by the operations center',
  'watchfloor.incident.escalated.v1': 'Escalated: not acknowledged in time',
  'watchfloor.incident.status_changed.v1': 'Status changed (investigating, resolved, ...)',
  'watchfloor.incident.correlated.v1': 'Correlated: linked to related incidents or a campaign',
} as const satisfies Partial<Record<EventType, string>>;

export type SubscribableEvent = keyof typeof SUBSCRIBABLE_EVENT_LABELS;

/** `watchfloor.incident.status_changed.v1` -> "status changed"; any event type in a few words. */
export const eventTypeWords = (type: string) =>
  type
    .replace(/^watchfloor\.(incident\.)?/, '')
    .replace(/\.v\d+$/, '')
    .replace(/[._]/g, ' ');

/** The keys of a label map, in its order (the order the form shows them). */
export function optionsOf<K extends string>(labels: Record<K, unknown>): K[] {
  return Object.keys(labels) as K[];
}
