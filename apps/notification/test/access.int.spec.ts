import { loadConfig } from '@watchfloor/platform';
import { describeRouteAccess } from '@watchfloor/testing';
import { NotificationEnv } from '../src/config';
import { createNotificationApp } from '../src/notification-app';

describeRouteAccess('notification', (env) => createNotificationApp(loadConfig(NotificationEnv, env)));
