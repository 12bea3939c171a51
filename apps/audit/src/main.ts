import 'reflect-metadata';
import { loadConfigOrExit } from '@watchfloor/platform';
import { createAuditApp } from './audit-app';
import { AuditEnv } from './config';

async function main(): Promise<void> {
  const config = loadConfigOrExit(AuditEnv);
  const app = await createAuditApp(config);
  await app.listen();
}

main().catch((error: unknown) => {
  process.stderr.write(`audit failed to start: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
