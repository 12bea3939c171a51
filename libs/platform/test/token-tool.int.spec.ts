import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { TokenVerifier } from '../src';

// Runs the real `npm run token` command line (without npm, which only adds start-up time).
const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '../../..');
const SECRET = 'token-tool-test-secret-0123456789abcdef';

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

async function mint(args: string[], env: Record<string, string> = {}): Promise<Outcome> {
  try {
    const { stdout, stderr } = await run('node', ['-r', '@swc-node/register', 'tools/token/mint.ts', ...args], {
      cwd: ROOT,
      env: { PATH: process.env['PATH'] ?? '', AUTH_DEV_SECRET: SECRET, ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('npm run token', () => {
  it('prints only a token the services accept', async () => {
    const outcome = await mint([
      '--role', 'official', '--role', 'automation',
      '--jurisdiction', 'ocd-division/country:us/state:ga/county:fulton',
      '--clearance', 'amber', '--sub', 'clerk-7', '--name', 'Fulton Clerk', '--org', 'Fulton County', '--ttl', '1h',
    ]);
    expect(outcome.code).toBe(0);
    expect(outcome.stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
    const verifier = TokenVerifier.fromConfig({ AUTH_MODE: 'dev', AUTH_DEV_SECRET: SECRET, AUTH_ALGORITHMS: ['RS256'] });
    await expect(verifier.verify(outcome.stdout.trim())).resolves.toEqual({
      sub: 'clerk-7',
      name: 'Fulton Clerk',
      roles: ['official', 'automation'],
      jurisdiction: 'ocd-division/country:us/state:ga/county:fulton',
      clearance: 'amber',
      org: 'Fulton County',
    });
  });

  it.each([
    [['--role', 'wizard', '--jurisdiction', 'ocd-division/country:us'], /Unknown role wizard/],
    [['--role', 'official', '--jurisdiction', 'georgia'], /not an OCD-ID/],
    [['--role', 'official'], /--jurisdiction is required/],
    [['--role', 'triage', '--clearance', 'purple'], /not a TLP label/],
    [['--jurisdiction', 'ocd-division/country:us'], /--role is required/],
  ])('exits 2 with a clear message for %j', async (args, message) => {
    const outcome = await mint(args);
    expect(outcome.code).toBe(2);
    expect(outcome.stdout).toBe('');
    expect(outcome.stderr).toMatch(message);
  });

  it('exits 1 naming the variable when the config is invalid', async () => {
    const outcome = await mint(['--role', 'triage'], { AUTH_DEV_SECRET: 'short' });
    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toMatch(/AUTH_DEV_SECRET/);
  });
});
