import { loadConfig } from '@watchfloor/platform';
import { describeHttpHardening } from '@watchfloor/testing';
import { AuditEnv } from '../src/config';
import { createAuditApp } from '../src/audit-app';

describeHttpHardening('audit', (env) => createAuditApp(loadConfig(AuditEnv, env)));
