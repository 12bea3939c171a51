import { MESSAGING_MIGRATIONS } from '@watchfloor/messaging';
import { CreateNotificationLedger1764300000000 } from './1764300000000-CreateNotificationLedger';
import { AddExercises1765100000000 } from './1765100000000-AddExercises';
import { AddTraceparentToNotificationEvent1765600000000 } from './1765600000000-AddTraceparentToNotificationEvent';

/** Notification's migrations, in order: the messaging tables, then its own. */
export const NOTIFICATION_MIGRATIONS = [...MESSAGING_MIGRATIONS, CreateNotificationLedger1764300000000, AddExercises1765100000000, AddTraceparentToNotificationEvent1765600000000];
