import { MESSAGING_MIGRATIONS } from '@watchfloor/messaging';
import { CreateIncidents1764150000000 } from './1764150000000-CreateIncidents';
import { TrackTriageStatus1764200000000 } from './1764200000000-TrackTriageStatus';
import { AddExerciseToIncident1765100000000 } from './1765100000000-AddExerciseToIncident';
import { ScopeSourceReferenceToSubmitter1766000000000 } from './1766000000000-ScopeSourceReferenceToSubmitter';
import { AddIdempotencyToUpdates1766100000000 } from './1766100000000-AddIdempotencyToUpdates';

/** Intake's migrations, in order: the messaging tables, then its own. */
export const INTAKE_MIGRATIONS = [...MESSAGING_MIGRATIONS, CreateIncidents1764150000000, TrackTriageStatus1764200000000, AddExerciseToIncident1765100000000, ScopeSourceReferenceToSubmitter1766000000000, AddIdempotencyToUpdates1766100000000];
