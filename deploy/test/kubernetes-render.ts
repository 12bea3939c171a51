// Renders a kustomization the way `kubectl apply -k` would, and checks objects against the
// Kubernetes OpenAPI schemas (kubernetes-models).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';

/** Any rendered object; the checks narrow it by kind. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  [field: string]: unknown;
}

export const REPO_ROOT = join(__dirname, '..', '..');
export const KUBERNETES_DIR = join(REPO_ROOT, 'deploy', 'kubernetes');

const HOW_TO_GET_KUSTOMIZE =
  'Neither `kustomize` nor `kubectl` is on PATH, so the Kubernetes manifests cannot be rendered. ' +
  'Install kubectl (it embeds kustomize: https://kubernetes.io/docs/tasks/tools/, or `apt-get install kubectl` ' +
  'from the Kubernetes apt repository) or a kustomize binary (https://kubectl.docs.kubernetes.io/installation/kustomize/).';

function onPath(command: string, args: string[]): boolean {
  const probe = spawnSync(command, args, { stdio: 'ignore' });
  return probe.error === undefined && probe.status === 0;
}

/** `kustomize build`, or kubectl's embedded kustomize when there is no kustomize binary. */
function kustomizeCommand(dir: string): [string, string[]] {
  if (onPath('kustomize', ['version'])) return ['kustomize', ['build', dir]];
  if (onPath('kubectl', ['version', '--client'])) return ['kubectl', ['kustomize', dir]];
  throw new Error(HOW_TO_GET_KUSTOMIZE);
}

/** The objects `dir` (relative to deploy/kubernetes) renders to. */
export function renderKustomization(dir: string): KubeObject[] {
  const [command, args] = kustomizeCommand(join(KUBERNETES_DIR, dir));
  const run = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 32 * 1024 * 1024 });
  if (run.status !== 0) throw new Error(`${command} ${args.join(' ')} failed:\n${run.stderr}`);
  return parseAllDocuments(run.stdout)
    .map((document) => document.toJS() as KubeObject | null)
    .filter((object): object is KubeObject => object !== null);
}

// kubernetes-models is ESM with only an `import` export condition, which Jest's CommonJS
// runtime cannot load: the objects are validated in a plain Node child process instead.
const VALIDATOR = `
import { readFileSync } from 'node:fs';
const problems = [];
for (const object of JSON.parse(readFileSync(0, 'utf8'))) {
  const where = object.kind + '/' + object.metadata?.name;
  const [group, version] = object.apiVersion.includes('/') ? object.apiVersion.split('/') : [undefined, object.apiVersion];
  let model;
  try {
    model = (await import('kubernetes-models/' + (group ? group + '/' : '') + version + '/' + object.kind))[object.kind];
  } catch {
    problems.push(where + ': no schema for ' + object.apiVersion + ' ' + object.kind);
    continue;
  }
  try {
    new model(object).validate();
  } catch (error) {
    problems.push(where + ': ' + error.message);
  }
}
process.stdout.write(JSON.stringify(problems));
`;

/** What the Kubernetes OpenAPI schemas refuse in `objects`; empty when all are valid. */
export function schemaProblems(objects: KubeObject[]): string[] {
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', VALIDATOR], {
    cwd: REPO_ROOT,
    input: JSON.stringify(objects),
    encoding: 'utf8',
    maxBuffer: 32 * 1024 * 1024,
  });
  if (run.status !== 0) throw new Error(`schema validation did not run:\n${run.stderr}`);
  return JSON.parse(run.stdout) as string[];
}
