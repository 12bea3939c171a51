import { MESSAGING_MIGRATIONS } from '@watchfloor/messaging';
import { CreateTriageIncidents1764200000000 } from './1764200000000-CreateTriageIncidents';
import { CreateOnCallRotation1764300000000 } from './1764300000000-CreateOnCallRotation';
import { AddEscalationDueToIncident1764300001000 } from './1764300001000-AddEscalationDueToIncident';
import { AddClusterTlpAndMemberOrder1764400000000 } from './1764400000000-AddClusterTlpAndMemberOrder';
import { CreatePendingUpdates1764400001000 } from './1764400001000-CreatePendingUpdates';
import { AddExercises1765100000000 } from './1765100000000-AddExercises';

/** Triage's migrations, in order: the messaging tables, then its own (one line per migration). */
export const TRIAGE_MIGRATIONS = [
  ...MESSAGING_MIGRATIONS,
  CreateTriageIncidents1764200000000,
  CreateOnCallRotation1764300000000,
  AddEscalationDueToIncident1764300001000,
  AddClusterTlpAndMemberOrder1764400000000,
  CreatePendingUpdates1764400001000,
  AddExercises1765100000000,
];
