import { MESSAGING_MIGRATIONS } from '@watchfloor/messaging';
import { CreateAuditChain1764300000000 } from './1764300000000-CreateAuditChain';

/** Audit's migrations, in order: the messaging tables, then its own. */
export const AUDIT_MIGRATIONS = [...MESSAGING_MIGRATIONS, CreateAuditChain1764300000000];
