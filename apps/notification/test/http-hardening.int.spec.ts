import { loadConfig } from '@watchfloor/platform';
import { describeHttpHardening } from '@watchfloor/testing';
import { NotificationEnv } from '../src/config';
import { createNotificationApp } from '../src/notification-app';

describeHttpHardening('notification', (env) => createNotificationApp(loadConfig(NotificationEnv, env)));
