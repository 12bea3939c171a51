import { loadConfig } from '@watchfloor/platform';
import { describeInputProperties } from '@watchfloor/testing';
import { NotificationEnv } from '../src/config';
import { createNotificationApp } from '../src/notification-app';

describeInputProperties('notification', (env) => createNotificationApp(loadConfig(NotificationEnv, env)), {
  'POST /v1/subscriptions': {
    name: 'Vendor SOAR',
    channel: 'webhook',
    target: 'https://soar.vendor.example/hooks/watchfloor',
    events: ['watchfloor.incident.reported.v1', 'watchfloor.incident.triaged.v1'],
    filter: { minPriority: 'medium', jurisdictions: ['ocd-division/country:us/state:ga/county:fulton'], categories: ['phishing'] },
  },
});
