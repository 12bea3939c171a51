import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type PrivateNats, startPrivateNats } from './nats';

// The NATS configuration that is deployed: its users and their permissions.
const DEPLOYED_NATS = join(__dirname, '..', '..', '..', 'deploy', 'kubernetes', 'base', 'nats');
const USER_LINE = /\{\s*user:\s*"?([\w-]+)"?,\s*password:\s*\$(\w+),\s*permissions:\s*\$(\w+)\s*\}/g;

/** A user's credentials, as a service reads them (`NATS_USER`, `NATS_PASS`). */
export interface NatsCredentials {
  user: string;
  pass: string;
}

/** A private nats-server with the deployed users and permissions. */
export interface NatsWithUsers extends PrivateNats {
  /** Each user's credentials: the services' of nats.conf, `admin` (unrestricted, tests only) and the extra ones. */
  credentials: Record<string, NatsCredentials>;
}

/** A user the test adds, with permissions from a file beside permissions.conf (e.g. automation-example.conf). */
export interface ExtraNatsUser {
  user: string;
  /** The variable holding its permissions, e.g. `AUTOMATION_GA_PERMISSIONS`. */
  permissions: string;
  /** File of deploy/kubernetes/base/nats that defines it. */
  file: string;
}

/**
 * Starts a nats-server of the test's own with the users of deploy/kubernetes/base/nats/nats.conf,
 * each with its permissions from permissions.conf (the files as deployed), random passwords,
 * plus an unrestricted `admin` for the test's own setup and inspection.
 */
export async function startNatsWithUsers(extraUsers: ExtraNatsUser[] = []): Promise<NatsWithUsers> {
  const deployed = readFileSync(join(DEPLOYED_NATS, 'nats.conf'), 'utf8');
  const users = [...deployed.matchAll(USER_LINE)].map(([, user, passwordVariable, permissions]) => ({ user: user as string, passwordVariable: passwordVariable as string, permissions: permissions as string }));
  if (users.length === 0) throw new Error('no user with permissions found in nats.conf');
  const dir = mkdtempSync(join(tmpdir(), 'wf-nats-users-'));
  const includes = ['permissions.conf', ...new Set(extraUsers.map((extra) => extra.file))];
  for (const file of includes) copyFileSync(join(DEPLOYED_NATS, file), join(dir, file));

  // Passwords start with a letter: nats-server would read a $VARIABLE like 12e4 as a number.
  const password = () => `p${randomBytes(12).toString('hex')}`;
  const env: Record<string, string> = {};
  const credentials: Record<string, NatsCredentials> = {};
  const lines: string[] = [];
  const add = (user: string, variable: string, permissions?: string) => {
    env[variable] = password();
    credentials[user] = { user, pass: env[variable] };
    lines.push(`    { user: "${user}", password: $${variable}${permissions ? `, permissions: $${permissions}` : ''} }`);
  };
  for (const { user, passwordVariable, permissions } of users) add(user, passwordVariable, permissions);
  for (const extra of extraUsers) add(extra.user, `WF_TEST_PASSWORD_${extra.user.replace(/\W/g, '_').toUpperCase()}`, extra.permissions);
  add('admin', 'WF_TEST_PASSWORD_ADMIN');
  const configFile = join(dir, 'server.conf');
  writeFileSync(configFile, `${includes.map((file) => `include ${file}`).join('\n')}\n\nauthorization {\n  users: [\n${lines.join('\n')}\n  ]\n}\n`);

  const nats = await startPrivateNats({ configFile, env });
  return {
    ...nats,
    credentials,
    dispose: async () => {
      await nats.dispose();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
