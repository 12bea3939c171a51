// Checks of the NATS JetStream cluster: its config file, its routes, and how the services reach it.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IConfigMap } from 'kubernetes-models/v1/ConfigMap';
import type { IService } from 'kubernetes-models/v1/Service';
import { containerEnvironment, ofKind, serviceDeployments, workloads, type Manifests, type Workload } from './kubernetes-checks';
import type { KubeObject } from './kubernetes-render';

export const NATS_WORKLOAD = 'nats';

/**
 * The NATS StatefulSet, its server container, the config file it is started with and every
 * file of that ConfigMap (the config includes permissions.conf from beside it).
 */
export function natsCluster(objects: KubeObject[]): { workload: Workload; serviceName: string; config: string; files: Record<string, string> } {
  const workload = workloads(objects).find((candidate) => candidate.kind === 'StatefulSet' && candidate.name === NATS_WORKLOAD);
  if (!workload) throw new Error(`no StatefulSet ${NATS_WORKLOAD}`);
  const container = workload.template.spec?.containers[0];
  const args = container?.args ?? [];
  const configPath = args[args.indexOf('--config') + 1];
  const mount = container?.volumeMounts?.find((candidate) => configPath?.startsWith(`${candidate.mountPath}/`));
  const volume = workload.template.spec?.volumes?.find((candidate) => candidate.name === mount?.name);
  const configMap = ofKind<IConfigMap>(objects, 'ConfigMap').find((candidate) => candidate.metadata.name === volume?.configMap?.name);
  const config = configMap?.data?.[configPath?.slice((mount?.mountPath.length ?? 0) + 1) ?? ''];
  if (config === undefined) throw new Error(`${NATS_WORKLOAD}: --config ${configPath} is not a file of a mounted ConfigMap`);
  const serviceName = (workload.object['spec'] as { serviceName: string }).serviceName;
  return { workload, serviceName, config, files: { ...configMap?.data } };
}

function containerPort(workload: Workload, name: string): number | undefined {
  return workload.template.spec?.containers[0]?.ports?.find((port) => port.name === name)?.containerPort;
}

/** The stable DNS name of each server pod, `nats-0.nats-headless`, ... */
function podHosts(workload: Workload, serviceName: string): string[] {
  return Array.from({ length: workload.replicas }, (_, ordinal) => `${workload.name}-${ordinal}.${serviceName}`);
}

/** Three servers, routes to each of them, a headless Service that publishes them, storage on the volume. */
export function natsClusterProblems(objects: KubeObject[]): string[] {
  const { workload, serviceName, config } = natsCluster(objects);
  const problems: string[] = [];
  if (workload.replicas !== 3) problems.push(`${NATS_WORKLOAD}: ${workload.replicas} servers, 3 expected`);
  const headless = ofKind<IService>(objects, 'Service').find((service) => service.metadata.name === serviceName);
  if (headless?.spec?.clusterIP !== 'None') problems.push(`${NATS_WORKLOAD}: serviceName ${serviceName} is not a headless Service`);
  if (headless?.spec?.publishNotReadyAddresses !== true) problems.push(`${serviceName}: must publish not-ready pods, or the cluster cannot form`);

  const clusterPort = containerPort(workload, 'cluster');
  const routes = [...config.matchAll(/nats-route:\/\/([^\s,\]]+)/g)].map((match) => match[1]).sort();
  const expected = podHosts(workload, serviceName).map((host) => `${host}:${clusterPort}`).sort();
  if (JSON.stringify(routes) !== JSON.stringify(expected)) problems.push(`nats.conf routes ${routes.join(' ')}, expected ${expected.join(' ')}`);

  const storeDir = /store_dir:\s*"?([^\s"]+)/.exec(config)?.[1];
  const container = workload.template.spec?.containers[0];
  const claims = ((workload.object['spec'] as { volumeClaimTemplates?: { metadata: { name: string } }[] }).volumeClaimTemplates ?? []).map((claim) => claim.metadata.name);
  const storeMount = container?.volumeMounts?.find((mount) => storeDir?.startsWith(mount.mountPath));
  if (!storeMount || !claims.includes(storeMount.name)) problems.push(`nats.conf store_dir ${storeDir} is not on a volume claim`);
  return problems;
}

const HOW_TO_GET_NATS_SERVER =
  'nats-server is not on PATH, so nats.conf cannot be checked: `apt-get install nats-server`, ' +
  'or a release from https://github.com/nats-io/nats-server/releases.';

/** What `nats-server -t` says of nats.conf, in the environment the StatefulSet gives the server. */
export function natsConfigProblems(manifests: Manifests): string[] {
  const { workload, config, files } = natsCluster(manifests.objects);
  const container = workload.template.spec?.containers[0];
  if (!container) return [`${NATS_WORKLOAD}: no container`];
  const { env, problems } = containerEnvironment(manifests, container);
  // The downward API gives each server its pod name (server_name).
  for (const [name, value] of Object.entries(env)) if (value === '<metadata.name>') env[name] = `${workload.name}-0`;
  const dir = mkdtempSync(join(tmpdir(), 'watchfloor-nats-conf-'));
  try {
    // The whole ConfigMap, as it is mounted: nats.conf includes its neighbours.
    for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
    writeFileSync(join(dir, 'nats.conf'), config);
    const run = spawnSync('nats-server', ['-t', '-c', join(dir, 'nats.conf')], { env: { PATH: process.env['PATH'], ...env }, encoding: 'utf8' });
    if (run.error) throw new Error(HOW_TO_GET_NATS_SERVER);
    if (run.status !== 0) problems.push(`nats-server -t: ${run.stderr.trim() || run.stdout.trim()}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return problems;
}

/** Each user of nats.conf with the password the server reads (example Secret values). */
function natsPasswords(manifests: Manifests): Record<string, string> {
  const { workload, config } = natsCluster(manifests.objects);
  const container = workload.template.spec?.containers[0];
  const { env } = container ? containerEnvironment(manifests, container) : { env: {} as Record<string, string> };
  const users = [...config.matchAll(/user:\s*(\w+),?\s*password:\s*\$(\w+)/g)];
  return Object.fromEntries(users.map(([, user, variable]) => [user, env[variable]]).filter(([, password]) => password !== undefined));
}

/** Every service connects to all three servers and asks for streams on all of them. */
export function natsClientProblems(manifests: Manifests): string[] {
  const { workload, serviceName, config } = natsCluster(manifests.objects);
  const clientPort = containerPort(workload, 'client');
  const expected = podHosts(workload, serviceName).map((host) => `nats://${host}:${clientPort}`).sort();
  const problems: string[] = [];
  const passwords = natsPasswords(manifests);
  for (const { service, workload: deployment } of serviceDeployments(manifests.objects)) {
    for (const container of deployment.template.spec?.containers ?? []) {
      const { env } = containerEnvironment(manifests, container);
      const urls = (env['NATS_URL'] ?? '').split(',').map((url) => url.trim()).sort();
      if (JSON.stringify(urls) !== JSON.stringify(expected)) problems.push(`${service}: NATS_URL ${env['NATS_URL']}, expected ${expected.join(',')}`);
      if (env['NATS_STREAM_REPLICAS'] !== String(workload.replicas)) problems.push(`${service}: NATS_STREAM_REPLICAS ${env['NATS_STREAM_REPLICAS']}, expected ${workload.replicas}`);
      if (env['NATS_USER'] !== service) problems.push(`${service}: NATS_USER ${env['NATS_USER']}, expected ${service}`);
      if (!new RegExp(`user:\\s*"?${env['NATS_USER'] ?? ''}"?,[^}]*permissions:\\s*\\$\\w+`).test(config)) {
        problems.push(`${service}: NATS user ${env['NATS_USER']} has no permissions in nats.conf (permissions.conf allows each service only its subjects)`);
      }
      const password = passwords[env['NATS_USER'] ?? ''];
      if (password === undefined || env['NATS_PASS'] !== password) problems.push(`${service}: NATS_PASS is not the password nats.conf gives user ${env['NATS_USER']}`);
    }
  }
  return problems;
}
