import { CreateDeadLetter1700000000300 } from './create-dead-letter.migration';
import { CreateInbox1700000000200 } from './create-inbox.migration';
import { CreateOutbox1700000000100 } from './create-outbox.migration';

export { CreateDeadLetter1700000000300, CreateInbox1700000000200, CreateOutbox1700000000100 };

/** The messaging tables every service needs; put these first in its migrations list. */
export const MESSAGING_MIGRATIONS = [CreateOutbox1700000000100, CreateInbox1700000000200, CreateDeadLetter1700000000300];
