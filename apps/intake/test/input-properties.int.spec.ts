import { loadConfig } from '@watchfloor/platform';
import { aSubmission, describeInputProperties } from '@watchfloor/testing';
import { IntakeEnv } from '../src/config';
import { createIntakeApp } from '../src/intake-app';

describeInputProperties('intake', (env) => createIntakeApp(loadConfig(IntakeEnv, env)), {
  'POST /v1/incidents': aSubmission(),
  'POST /v1/incidents/{id}/updates': { note: 'The phishing mails now link to a second domain.', observables: [{ type: 'domain', value: 'sos-ga-vote.example' }] },
});
