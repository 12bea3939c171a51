/** CISA Federal Incident Notification Guidelines impact vocabulary (DOMAIN.md "Impact"). */
export const FUNCTIONAL_IMPACTS = [
  'no_impact',
  'no_impact_to_services',
  'minimal_non_critical',
  'minimal_critical',
  'significant_non_critical',
  'denial_non_critical',
  'significant_critical',
  'denial_critical_or_loss_of_control',
] as const;
export type FunctionalImpact = (typeof FUNCTIONAL_IMPACTS)[number];

export const INFORMATION_IMPACTS = [
  'no_impact',
  'suspected_not_identified',
  'privacy_data_breach',
  'proprietary_information_breach',
  'destruction_non_critical',
  'critical_systems_data_breach',
  'core_credential_compromise',
  'destruction_critical',
] as const;
export type InformationImpact = (typeof INFORMATION_IMPACTS)[number];

export const RECOVERABILITY = ['regular', 'supplemented', 'extended', 'not_recoverable'] as const;
export type Recoverability = (typeof RECOVERABILITY)[number];

export const OBSERVED_ACTIVITY = ['none', 'prepare', 'engage', 'presence', 'effect'] as const;
export type ObservedActivity = (typeof OBSERVED_ACTIVITY)[number];

export const LOCATION_OF_ACTIVITY = [
  'unsuccessful',
  'business_dmz',
  'business_network',
  'business_network_management',
  'critical_system_dmz',
  'critical_system_management',
  'critical_systems',
  'safety_systems',
  'unknown',
] as const;
export type LocationOfActivity = (typeof LOCATION_OF_ACTIVITY)[number];

export const ACTORS = ['hacktivist', 'unwitting_insider', 'criminal', 'unknown', 'witting_insider', 'apt', 'apt_targeted'] as const;
export type ThreatActor = (typeof ACTORS)[number];

export const ATTACK_VECTORS = [
  'unknown',
  'attrition',
  'web',
  'email_phishing',
  'removable_media',
  'impersonation_spoofing',
  'improper_usage',
  'loss_theft_of_equipment',
  'other',
] as const;
export type AttackVector = (typeof ATTACK_VECTORS)[number];

export const POTENTIAL_IMPACTS = ['minimal', 'low', 'moderate', 'high', 'severe'] as const;
export type PotentialImpact = (typeof POTENTIAL_IMPACTS)[number];
