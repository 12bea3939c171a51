import { loadConfig } from '@watchfloor/platform';
import { describeHttpHardening } from '@watchfloor/testing';
import { TriageEnv } from '../src/config';
import { createTriageApp } from '../src/triage-app';

describeHttpHardening('triage', (env) => createTriageApp(loadConfig(TriageEnv, env)));
