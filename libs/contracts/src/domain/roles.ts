/** Roles a caller's JWT may carry (`roles` claim), see DOMAIN.md "People and roles". */
export const ROLES = ['official', 'triage', 'partner', 'automation', 'auditor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Who caused a change: a person (JWT `sub`) or a rule of the system (on-call rotation, campaign, ...). */
export const INITIATOR_KINDS = ['user', 'system'] as const;
export type InitiatorKind = (typeof INITIATOR_KINDS)[number];
