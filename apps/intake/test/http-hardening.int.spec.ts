import { loadConfig } from '@watchfloor/platform';
import { describeHttpHardening } from '@watchfloor/testing';
import { IntakeEnv } from '../src/config';
import { createIntakeApp } from '../src/intake-app';

describeHttpHardening('intake', (env) => createIntakeApp(loadConfig(IntakeEnv, env)));
