import type { IncidentStatus } from '@watchfloor/contracts';

/**
 * Where each status may go (DOMAIN.md, lifecycle), to offer only moves that can succeed.
 * The API remains the judge: a move it refuses is shown with its 409 message. Written out
 * here (contracts stays out of the browser bundle); its spec checks it equals the contract.
 */
export const NEXT_STATUSES: Record<IncidentStatus, IncidentStatus[]> = {
  new: ['acknowledged', 'resolved'],
  acknowledged: ['investigating', 'resolved'],
  investigating: ['mitigated', 'resolved'],
  mitigated: ['resolved'],
  resolved: ['investigating', 'closed'],
  closed: [],
};
