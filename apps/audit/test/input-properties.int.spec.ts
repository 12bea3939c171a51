import { loadConfig } from '@watchfloor/platform';
import { describeInputProperties } from '@watchfloor/testing';
import { AuditEnv } from '../src/config';
import { createAuditApp } from '../src/audit-app';

describeInputProperties('audit', (env) => createAuditApp(loadConfig(AuditEnv, env)));
