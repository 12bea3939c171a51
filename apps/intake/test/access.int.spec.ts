import { loadConfig } from '@watchfloor/platform';
import { describeRouteAccess } from '@watchfloor/testing';
import { IntakeEnv } from '../src/config';
import { createIntakeApp } from '../src/intake-app';

describeRouteAccess('intake', (env) => createIntakeApp(loadConfig(IntakeEnv, env)));
