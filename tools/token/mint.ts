// Mints a development JWT for any role, jurisdiction and clearance (ARCHITECTURE.md, Security).
// Usage: npm run -s token -- --role official --jurisdiction ocd-division/country:us/state:ga
//          [--role automation] [--clearance amber] [--sub id] [--name "..."] [--org ...] [--ttl 8h]
// Prints only the token, so `TOKEN=$(npm run -s token -- ...)` works. In the container image:
// `node /app/dist/main.js token ...`, with the service's own AUTH_MODE and AUTH_DEV_SECRET.
import { BaseEnv, ConfigError, devTokenOptions, loadConfig, signDevToken } from '@watchfloor/platform';
import { parseMintArgs, UsageError, USAGE } from './args';

async function main(): Promise<number> {
  let request;
  try {
    request = parseMintArgs(process.argv.slice(2));
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`${error.message}\nRun with --help for usage.\n`);
      return 2;
    }
    throw error;
  }
  if (request === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }

  const config = loadConfig(BaseEnv);
  if (config.AUTH_MODE !== 'dev') {
    process.stderr.write('Tokens can only be minted for AUTH_MODE=dev; with jwks the identity provider issues them.\n');
    return 2;
  }
  const token = await signDevToken(request.claims, config.AUTH_DEV_SECRET, request.ttl, devTokenOptions(config));
  process.stdout.write(`${token}\n`);
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`${error instanceof ConfigError ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
