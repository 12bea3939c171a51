import 'reflect-metadata';
import { loadConfigOrExit } from '@watchfloor/platform';
import { TriageEnv } from './config';
import { createTriageApp } from './triage-app';

async function main(): Promise<void> {
  const config = loadConfigOrExit(TriageEnv);
  const app = await createTriageApp(config);
  await app.listen();
}

main().catch((error: unknown) => {
  process.stderr.write(`triage failed to start: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
