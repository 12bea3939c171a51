import { loadConfig } from '@watchfloor/platform';
import { describeRouteAccess } from '@watchfloor/testing';
import { AuditEnv } from '../src/config';
import { createAuditApp } from '../src/audit-app';

describeRouteAccess('audit', (env) => createAuditApp(loadConfig(AuditEnv, env)));
