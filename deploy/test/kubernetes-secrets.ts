// The Secrets the manifests use but never contain, from deploy/kubernetes/required-secrets.yaml.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { KUBERNETES_DIR } from './kubernetes-render';

export interface RequiredSecret {
  name: string;
  purpose: string;
  type?: string;
  keys: Record<string, { example: string; how: string }>;
}

export function requiredSecrets(): RequiredSecret[] {
  const file = parse(readFileSync(join(KUBERNETES_DIR, 'required-secrets.yaml'), 'utf8')) as { secrets: RequiredSecret[] };
  return file.secrets;
}

/** A Secret as `kubectl create secret` was asked to make it. */
export interface CreatedSecret {
  namespace: string;
  name: string;
  type: 'generic' | 'tls';
  /** Key -> value (literal) or file content (--from-file); tls keys hold the file path. */
  values: Record<string, string>;
}

// Stands in for kubectl: records each call, with the content of --from-file files, which the
// script deletes once kubectl has read them.
const FAKE_KUBECTL = `
const { appendFileSync, readFileSync } = require('node:fs');
const args = process.argv.slice(2);
const files = {};
for (const arg of args) {
  const file = /^--from-file=([^=]+)=(.*)$/.exec(arg);
  if (file) files[file[1]] = readFileSync(file[2], 'utf8');
}
appendFileSync(process.env.FAKE_KUBECTL_LOG, JSON.stringify({ args, files }) + '\\n');
`;

function parseCreate({ args, files }: { args: string[]; files: Record<string, string> }): CreatedSecret {
  const namespace = args[args.indexOf('--namespace') + 1] ?? '';
  const verb = args.indexOf('create');
  if (verb < 0 || args[verb + 1] !== 'secret') throw new Error(`unexpected kubectl call: ${args.join(' ')}`);
  const type = args[verb + 2] as CreatedSecret['type'];
  const name = args[verb + 3] ?? '';
  const values: Record<string, string> = {};
  for (const arg of args.slice(verb + 4)) {
    const [, flag, rest] = /^--([a-z-]+)=(.*)$/s.exec(arg) ?? [];
    if (flag === 'from-literal') values[rest.slice(0, rest.indexOf('='))] = rest.slice(rest.indexOf('=') + 1);
    else if (flag === 'from-file') values[rest.slice(0, rest.indexOf('='))] = files[rest.slice(0, rest.indexOf('='))];
    else if (flag === 'cert') values['tls.crt'] = rest;
    else if (flag === 'key') values['tls.key'] = rest;
    else throw new Error(`unexpected flag in: ${args.join(' ')}`);
  }
  return { namespace, name, type, values };
}

/** Runs secrets.example.sh with `env` against a fake kubectl and returns what it would create. */
export function runSecretsExample(env: Record<string, string>): CreatedSecret[] {
  const dir = mkdtempSync(join(tmpdir(), 'watchfloor-secrets-'));
  try {
    const log = join(dir, 'kubectl.log');
    writeFileSync(join(dir, 'kubectl'), `#!${process.execPath}\n${FAKE_KUBECTL}`, { mode: 0o755 });
    const run = spawnSync('sh', [join(KUBERNETES_DIR, 'secrets.example.sh')], {
      env: { PATH: `${dir}:${process.env['PATH'] ?? ''}`, FAKE_KUBECTL_LOG: log, ...env },
      encoding: 'utf8',
    });
    if (run.status !== 0) throw new Error(`secrets.example.sh failed (${run.status}):\n${run.stderr}`);
    return readFileSync(log, 'utf8')
      .trim()
      .split('\n')
      .map((line) => parseCreate(JSON.parse(line) as { args: string[]; files: Record<string, string> }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
