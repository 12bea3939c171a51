import { parseArgs } from 'node:util';
import { isOcdId, isTlp, ROLES, type Role } from '@watchfloor/contracts';
import type { DevTokenClaims } from '@watchfloor/platform';

/** Help text of the token command. */
export const USAGE = `Usage: npm run -s token -- --role <role> [--role <role>...] [--jurisdiction <OCD-ID>]
         [--clearance <tlp>] [--sub <id>] [--name <name>] [--org <org>] [--ttl <span>]
   or: node /app/dist/main.js token --role <role> ... (in the container image)

  --role          ${ROLES.join(', ')} (repeat for several)
  --jurisdiction  OCD-ID, e.g. ocd-division/country:us/state:ga (required for official, automation)
  --clearance     clear, green, amber, amber+strict, red (default: none in the token, read as clear)
  --sub           subject id (default: dev-<roles>)
  --name          display name (default: the subject)
  --org           organisation
  --ttl           lifetime: <n>s, <n>m, <n>h or <n>d (default 8h)

The secret is AUTH_DEV_SECRET (or the documented development default), as the services use it.
`;

/** Bad command-line arguments (exit status 2). */
export class UsageError extends Error {}

/** What to mint. */
export interface MintRequest {
  claims: DevTokenClaims;
  ttl: string;
}

const TTL = /^\d+[smhd]$/;
const SCOPED_ROLES: readonly Role[] = ['official', 'automation'];

function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

/** Parses and validates the arguments; `'help'` for `--help`. Throws {@link UsageError}. */
export function parseMintArgs(argv: string[]): MintRequest | 'help' {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        role: { type: 'string', multiple: true },
        jurisdiction: { type: 'string' },
        clearance: { type: 'string' },
        sub: { type: 'string' },
        name: { type: 'string' },
        org: { type: 'string' },
        ttl: { type: 'string', default: '8h' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  if (values.help) return 'help';

  const roles = values.role ?? [];
  if (roles.length === 0) throw new UsageError('At least one --role is required.');
  const unknown = roles.filter((role) => !isRole(role));
  if (unknown.length > 0) throw new UsageError(`Unknown role ${unknown.join(', ')}; roles are ${ROLES.join(', ')}.`);
  const knownRoles = [...new Set(roles.filter(isRole))];

  const { jurisdiction, clearance } = values;
  if (jurisdiction !== undefined && !isOcdId(jurisdiction)) {
    throw new UsageError(`--jurisdiction "${jurisdiction}" is not an OCD-ID (e.g. ocd-division/country:us/state:ga).`);
  }
  if (jurisdiction === undefined && knownRoles.some((role) => SCOPED_ROLES.includes(role))) {
    throw new UsageError(`--jurisdiction is required for the roles ${SCOPED_ROLES.join(', ')}.`);
  }
  if (clearance !== undefined && !isTlp(clearance)) {
    throw new UsageError(`--clearance "${clearance}" is not a TLP label (clear, green, amber, amber+strict, red).`);
  }
  if (!TTL.test(values.ttl)) throw new UsageError(`--ttl "${values.ttl}" must look like 30m, 8h or 7d.`);

  const sub = values.sub ?? `dev-${knownRoles.join('-')}`;
  return {
    ttl: values.ttl,
    claims: {
      sub,
      name: values.name ?? sub,
      roles: knownRoles,
      ...(jurisdiction !== undefined ? { jurisdiction } : {}),
      ...(clearance !== undefined ? { clearance } : {}),
      ...(values.org !== undefined ? { org: values.org } : {}),
    },
  };
}
