import 'reflect-metadata';
import { loadConfigOrExit } from '@watchfloor/platform';
import { IntakeEnv } from './config';
import { createIntakeApp } from './intake-app';

async function main(): Promise<void> {
  const config = loadConfigOrExit(IntakeEnv);
  const app = await createIntakeApp(config);
  await app.listen();
}

main().catch((error: unknown) => {
  process.stderr.write(`intake failed to start: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
