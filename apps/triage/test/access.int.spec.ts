import { loadConfig } from '@watchfloor/platform';
import { describeRouteAccess } from '@watchfloor/testing';
import { TriageEnv } from '../src/config';
import { createTriageApp } from '../src/triage-app';

describeRouteAccess('triage', (env) => createTriageApp(loadConfig(TriageEnv, env)));
