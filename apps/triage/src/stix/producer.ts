/**
 * Who made a bundle, and the extension that carries Watchfloor's incident fields. Both are
 * fixed objects (same id, same content on every export and every deployment): a STIX
 * consumer keeps one copy of each.
 */
const DEFINED_AT = '2026-07-01T00:00:00.000Z';

/** The producer of every exported object (`created_by_ref`). */
export const WATCHFLOOR_IDENTITY = {
  type: 'identity',
  spec_version: '2.1',
  id: 'identity--b1b136da-85a7-42b6-8139-d0fee41b8c90',
  created: DEFINED_AT,
  modified: DEFINED_AT,
  name: 'Watchfloor',
  description: 'Watchfloor, the election incident coordination system of an operations center, which exported these objects.',
  identity_class: 'system',
} as const;

/** The id under which an exported incident carries its Watchfloor fields (a property extension). */
export const INCIDENT_EXTENSION_ID = 'extension-definition--135ba0f4-686d-4164-9e7d-70fb1459af6d';

/** The definition of that extension; its schema is the prose of docs/triage.md, "STIX 2.1 export". */
export const INCIDENT_EXTENSION_DEFINITION = {
  type: 'extension-definition',
  spec_version: '2.1',
  id: INCIDENT_EXTENSION_ID,
  created_by_ref: WATCHFLOOR_IDENTITY.id,
  created: DEFINED_AT,
  modified: DEFINED_AT,
  name: 'Watchfloor election incident',
  description: 'What an election operations center knows of an incident: its receipt, category, jurisdiction, election phase, impacts, observables, TLP, status and priority.',
  schema:
    'Properties (all optional unless said): reference (WF-<year>-<6 digits>, required), watchfloor_id (required), category, jurisdiction (OCD-ID), tlp (TLP 2.0 label), ' +
    'status, resolution, priority and computed_priority (baseline..emergency), score (0-100), scoring_model, phase, affected_assets, impacts (functional_impact, ' +
    'information_impact, recoverability, observed_activity, location_of_activity, actor, attack_vector, potential_impact), occurred_at, detected_at, received_at ' +
    '(timestamps), observables ([{ type, value }], the normalised observables, including those with no STIX cyber-observable: phone, social_handle). ' +
    'The values are those of the Watchfloor domain vocabulary (DOMAIN.md); see docs/triage.md, "STIX 2.1 export", in the Watchfloor repository.',
  version: '1.0.0',
  extension_types: ['property-extension'],
} as const;
