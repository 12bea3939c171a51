import { loadConfig } from '@watchfloor/platform';
import { describeInputProperties } from '@watchfloor/testing';
import { TriageEnv } from '../src/config';
import { createTriageApp } from '../src/triage-app';

describeInputProperties('triage', (env) => createTriageApp(loadConfig(TriageEnv, env)), {
  'PUT /v1/oncall': {
    timezone: 'America/New_York',
    shifts: [
      { assignee: 'dana', start: '07:00', end: '19:00' },
      { assignee: 'eve', start: '2026-11-03T05:00', end: '2026-11-04T03:00' },
      { assignee: 'nico', start: '19:00', end: '07:00', days: ['mon', 'tue'] },
    ],
    escalation: ['shift-lead', 'soc-manager'],
  },
});
