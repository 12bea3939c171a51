import 'reflect-metadata';
import { loadConfigOrExit } from '@watchfloor/platform';
import { NotificationEnv } from './config';
import { createNotificationApp } from './notification-app';

async function main(): Promise<void> {
  const config = loadConfigOrExit(NotificationEnv);
  const app = await createNotificationApp(config);
  await app.listen();
}

main().catch((error: unknown) => {
  process.stderr.write(`notification failed to start: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
