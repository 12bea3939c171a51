// Cross-checks of rendered manifests against each other and against the services' code.
// Each returns what is wrong (empty when fine), so a test can show a broken copy is caught.
import type { IPodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import type { IConfigMap } from 'kubernetes-models/v1/ConfigMap';
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IPodTemplateSpec } from 'kubernetes-models/v1/PodTemplateSpec';
import type { IProbe } from 'kubernetes-models/v1/Probe';
import type { IService } from 'kubernetes-models/v1/Service';
import type { IIngress } from 'kubernetes-models/networking.k8s.io/v1/Ingress';
import type { KubeObject } from './kubernetes-render';
import type { RequiredSecret } from './kubernetes-secrets';
import { SERVICES, envProblems, servicePort, type ServiceName } from './service-env';
// The deployment checks read the console server's config contract; nothing else of the app.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { CONSOLE_VARIABLES, consoleServerConfig } from '../../apps/console/server/config';

/** A Deployment or StatefulSet: what runs pods. */
export interface Workload {
  kind: string;
  name: string;
  replicas: number;
  template: IPodTemplateSpec;
  object: KubeObject;
}

/** Looks up a Secret's value: the rendered Secret if any, else the documented external one. */
export type SecretValue = (secret: string, key: string) => string | undefined;

export interface Manifests {
  objects: KubeObject[];
  secrets: RequiredSecret[];
}

const SERVICE_LABEL = 'app.kubernetes.io/name';

export function ofKind<T>(objects: KubeObject[], kind: string): (KubeObject & T)[] {
  return objects.filter((object) => object.kind === kind) as (KubeObject & T)[];
}

export function workloads(objects: KubeObject[]): Workload[] {
  return objects
    .filter((object) => object.kind === 'Deployment' || object.kind === 'StatefulSet')
    .map((object) => {
      const spec = object['spec'] as { replicas?: number; template: IPodTemplateSpec };
      return { kind: object.kind, name: object.metadata.name, replicas: spec.replicas ?? 1, template: spec.template, object };
    });
}

/** The Deployment of each Watchfloor service, by its name label. */
export function serviceDeployments(objects: KubeObject[]): { service: ServiceName; workload: Workload }[] {
  return workloads(objects)
    .filter((workload) => workload.kind === 'Deployment')
    .map((workload) => ({ service: workload.template.metadata?.labels?.[SERVICE_LABEL] as ServiceName, workload }))
    .filter(({ service }) => (SERVICES as readonly string[]).includes(service));
}

function selects(selector: Record<string, string> | undefined, labels: Record<string, string> | undefined): boolean {
  const wanted = Object.entries(selector ?? {});
  return wanted.length > 0 && wanted.every(([key, value]) => labels?.[key] === value);
}

function configMapData(objects: KubeObject[], name: string): Record<string, string> | undefined {
  return ofKind<IConfigMap>(objects, 'ConfigMap').find((map) => map.metadata.name === name)?.data;
}

/** Rendered Secrets first, then the documented externally created ones with their examples. */
export function exampleSecretValue({ objects, secrets }: Manifests): SecretValue {
  return (secret, key) => {
    const rendered = objects.find((object) => object.kind === 'Secret' && object.metadata.name === secret);
    if (rendered) {
      const { data, stringData } = rendered as { data?: Record<string, string>; stringData?: Record<string, string> };
      return stringData?.[key] ?? (data?.[key] === undefined ? undefined : Buffer.from(data[key], 'base64').toString('utf8'));
    }
    return secrets.find((external) => external.name === secret)?.keys[key]?.example;
  };
}

function secretKeys(manifests: Manifests, secret: string): string[] | undefined {
  const rendered = manifests.objects.find((object) => object.kind === 'Secret' && object.metadata.name === secret);
  if (rendered) {
    const { data, stringData } = rendered as { data?: Record<string, string>; stringData?: Record<string, string> };
    return [...Object.keys(data ?? {}), ...Object.keys(stringData ?? {})];
  }
  const external = manifests.secrets.find((candidate) => candidate.name === secret);
  return external ? Object.keys(external.keys) : undefined;
}

/**
 * The environment a container starts with (ConfigMap values, Secret values from `secretValue`),
 * and every reference that does not resolve.
 */
export function containerEnvironment(
  manifests: Manifests,
  container: IContainer,
  secretValue: SecretValue = exampleSecretValue(manifests),
): { env: Record<string, string>; problems: string[] } {
  const env: Record<string, string> = {};
  const problems: string[] = [];
  const where = `container ${container.name}`;
  for (const source of container.envFrom ?? []) {
    if (source.configMapRef) {
      const data = configMapData(manifests.objects, source.configMapRef.name ?? '');
      if (data === undefined) problems.push(`${where}: ConfigMap ${source.configMapRef.name} is not rendered`);
      Object.assign(env, data);
    }
    if (source.secretRef) {
      const keys = secretKeys(manifests, source.secretRef.name ?? '');
      if (keys === undefined) problems.push(`${where}: Secret ${source.secretRef.name} is neither rendered nor in required-secrets.yaml`);
      for (const key of keys ?? []) env[key] = secretValue(source.secretRef.name ?? '', key) ?? '';
    }
  }
  for (const variable of container.env ?? []) {
    const { configMapKeyRef, secretKeyRef, fieldRef } = variable.valueFrom ?? {};
    if (variable.value !== undefined) env[variable.name] = variable.value;
    else if (configMapKeyRef) {
      const value = configMapData(manifests.objects, configMapKeyRef.name ?? '')?.[configMapKeyRef.key];
      if (value === undefined) problems.push(`${where}: ${variable.name} refers to missing ${configMapKeyRef.name}/${configMapKeyRef.key}`);
      env[variable.name] = value ?? '';
    } else if (secretKeyRef) {
      if (!secretKeys(manifests, secretKeyRef.name ?? '')?.includes(secretKeyRef.key)) {
        problems.push(`${where}: ${variable.name} refers to Secret key ${secretKeyRef.name}/${secretKeyRef.key}, neither rendered nor in required-secrets.yaml`);
      }
      env[variable.name] = secretValue(secretKeyRef.name ?? '', secretKeyRef.key) ?? '';
    } else if (fieldRef) env[variable.name] = `<${fieldRef.fieldPath}>`;
    else problems.push(`${where}: ${variable.name} has neither a value nor a source these checks know`);
  }
  return { env, problems };
}

/** Every ConfigMap and Secret a pod, volume or Ingress names exists, with the keys it names. */
export function referenceProblems(manifests: Manifests): string[] {
  const problems: string[] = [];
  for (const workload of workloads(manifests.objects)) {
    const spec = workload.template.spec;
    for (const container of [...(spec?.initContainers ?? []), ...(spec?.containers ?? [])]) {
      problems.push(...containerEnvironment(manifests, container).problems.map((problem) => `${workload.name}: ${problem}`));
    }
    for (const volume of spec?.volumes ?? []) {
      const where = `${workload.name}: volume ${volume.name}`;
      if (volume.configMap) {
        const data = configMapData(manifests.objects, volume.configMap.name ?? '');
        if (data === undefined) problems.push(`${where}: ConfigMap ${volume.configMap.name} is not rendered`);
        for (const item of volume.configMap.items ?? []) if (data?.[item.key] === undefined) problems.push(`${where}: no key ${item.key}`);
      }
      if (volume.secret) {
        const keys = secretKeys(manifests, volume.secret.secretName ?? '');
        if (keys === undefined) problems.push(`${where}: Secret ${volume.secret.secretName} is neither rendered nor in required-secrets.yaml`);
        for (const item of volume.secret.items ?? []) if (!keys?.includes(item.key)) problems.push(`${where}: no key ${item.key} in ${volume.secret.secretName}`);
      }
    }
  }
  for (const ingress of ofKind<IIngress>(manifests.objects, 'Ingress')) {
    for (const tls of ingress.spec?.tls ?? []) {
      if (secretKeys(manifests, tls.secretName ?? '') === undefined) problems.push(`Ingress ${ingress.metadata.name}: TLS Secret ${tls.secretName} is unknown`);
    }
  }
  return problems;
}

function probePort(probe: IProbe | undefined, container: IContainer): number | undefined {
  const port = probe?.httpGet?.port;
  if (typeof port === 'number') return port;
  return container.ports?.find((declared) => declared.name === port)?.containerPort;
}

function listeningPort(service: ServiceName, env: Record<string, string>): number | undefined {
  try {
    return servicePort(service, env);
  } catch {
    return undefined;
  }
}

/** Each service runs as a Deployment the way production needs it, on the port its config gives. */
export function deploymentProblems(manifests: Manifests): string[] {
  const problems: string[] = [];
  const deployments = serviceDeployments(manifests.objects);
  for (const service of SERVICES) {
    if (!deployments.some((deployment) => deployment.service === service)) problems.push(`${service}: no Deployment`);
  }
  for (const { service, workload } of deployments) {
    const where = `Deployment ${workload.name}`;
    if (workload.replicas < 2) problems.push(`${where}: ${workload.replicas} replica(s), 2 or more needed`);
    const pod = workload.template.spec;
    const containers = pod?.containers ?? [];
    if (containers.length !== 1) problems.push(`${where}: ${containers.length} containers, one expected`);
    for (const container of containers) {
      const { env } = containerEnvironment(manifests, container);
      problems.push(...envProblems(service, env).map((problem) => `${where}: ${problem}`));
      // The image's one entry point starts the service its argument names (Dockerfile, tools/build/launcher.cjs).
      if (JSON.stringify(container.args) !== JSON.stringify([service])) problems.push(`${where}: args ${JSON.stringify(container.args)} do not start ${service}`);
      const port = listeningPort(service, env);
      if (port === undefined) continue; // its env problems are reported above
      if (!container.ports?.some((declared) => declared.containerPort === port)) problems.push(`${where}: no containerPort ${port}, the port ${service} listens on`);
      const probes = { readinessProbe: '/health/ready', livenessProbe: '/health/live', startupProbe: undefined } as const;
      for (const [kind, path] of Object.entries(probes) as [keyof typeof probes, string | undefined][]) {
        const probe = container[kind];
        if (probe === undefined) problems.push(`${where}: no ${kind}`);
        else if (probePort(probe, container) !== port) problems.push(`${where}: ${kind} probes port ${String(probe.httpGet?.port)}, not ${port}`);
        else if (path !== undefined && probe.httpGet?.path !== path) problems.push(`${where}: ${kind} probes ${probe.httpGet?.path}, not ${path}`);
      }
      problems.push(...containerProblems(where, container, pod));
    }
  }
  return problems;
}

/** Resources bounded; no root, no writable root filesystem, no privilege escalation, no capabilities. */
function containerProblems(where: string, container: IContainer, pod: IPodTemplateSpec['spec']): string[] {
  const problems: string[] = [];
  for (const bound of ['requests', 'limits'] as const) {
    for (const resource of ['cpu', 'memory']) {
      if (container.resources?.[bound]?.[resource] === undefined) problems.push(`${where}: no ${resource} ${bound}`);
    }
  }
  const security = container.securityContext;
  if (!(security?.runAsNonRoot ?? pod?.securityContext?.runAsNonRoot)) problems.push(`${where}: may run as root`);
  if (security?.readOnlyRootFilesystem !== true) problems.push(`${where}: root filesystem writable`);
  if (security?.allowPrivilegeEscalation !== false) problems.push(`${where}: privilege escalation allowed`);
  if (!security?.capabilities?.drop?.includes('ALL')) problems.push(`${where}: capabilities not dropped`);
  return problems;
}

/**
 * The console runs as 2+ replicas of the image's `console` entry, with an environment its
 * server accepts (apps/console/server/config.ts), probed at /health on the port it listens on,
 * and as locked down as the services.
 */
export function consoleProblems(manifests: Manifests): string[] {
  const workload = workloads(manifests.objects).find((candidate) => candidate.kind === 'Deployment' && candidate.template.metadata?.labels?.[SERVICE_LABEL] === 'console');
  if (!workload) return ['console: no Deployment'];
  const where = `Deployment ${workload.name}`;
  const problems: string[] = [];
  if (workload.replicas < 2) problems.push(`${where}: ${workload.replicas} replica(s), 2 or more needed`);
  const containers = workload.template.spec?.containers ?? [];
  if (containers.length !== 1) problems.push(`${where}: ${containers.length} containers, one expected`);
  for (const container of containers) {
    if (JSON.stringify(container.args) !== JSON.stringify(['console'])) problems.push(`${where}: args ${JSON.stringify(container.args)} do not start the console`);
    const { env } = containerEnvironment(manifests, container);
    const unknown = Object.keys(env).filter((name) => !CONSOLE_VARIABLES.includes(name));
    problems.push(...unknown.map((name) => `${where}: ${name}: not a variable the console reads`));
    let port: number | undefined;
    try {
      port = consoleServerConfig(env, '/app/dist/console').port;
    } catch (error) {
      problems.push(`${where}: ${(error as Error).message}`);
    }
    if (port !== undefined) {
      if (!container.ports?.some((declared) => declared.containerPort === port)) problems.push(`${where}: no containerPort ${port}, the port the console listens on`);
      for (const kind of ['readinessProbe', 'livenessProbe'] as const) {
        const probe = container[kind];
        if (probe === undefined) problems.push(`${where}: no ${kind}`);
        else if (probePort(probe, container) !== port || probe.httpGet?.path !== '/health') problems.push(`${where}: ${kind} probes ${String(probe.httpGet?.port)}${probe.httpGet?.path ?? ''}, not ${port}/health`);
      }
    }
    problems.push(...containerProblems(where, container, workload.template.spec));
  }
  return problems;
}

/** Where an Ingress sends a request, as ingress-nginx would: the Service and the path it receives. */
export interface IngressRoute {
  service: string;
  path: string;
}

/**
 * The route `host` + `path` takes through the rendered Ingresses, the way ingress-nginx picks
 * it: with `use-regex` (or a `rewrite-target`) on any Ingress of a host, every path of that host
 * is a case-insensitive regular expression anchored at the start, else a prefix; the longest
 * path wins; `rewrite-target` ($1, $2: the expression's groups) gives the path the Service sees.
 */
export function ingressRoute(objects: KubeObject[], host: string, path: string): IngressRoute | undefined {
  const ingresses = ofKind<IIngress>(objects, 'Ingress');
  const annotation = (ingress: IIngress, name: string) => ingress.metadata?.annotations?.[`nginx.ingress.kubernetes.io/${name}`];
  const forHost = ingresses.filter((ingress) => ingress.spec?.rules?.some((rule) => rule.host === host));
  const regexHost = forHost.some((ingress) => annotation(ingress, 'use-regex') === 'true' || annotation(ingress, 'rewrite-target') !== undefined);
  const candidates = forHost.flatMap((ingress) =>
    (ingress.spec?.rules ?? [])
      .filter((rule) => rule.host === host)
      .flatMap((rule) => rule.http?.paths ?? [])
      .map((entry) => ({ entry, rewrite: annotation(ingress, 'rewrite-target') })),
  );
  const matches = candidates
    .filter(({ entry }) => {
      const pattern = entry.path ?? '/';
      if (regexHost) return new RegExp(`^${pattern}`, 'i').test(path);
      return pattern === '/' || path === pattern || path.startsWith(`${pattern.replace(/\/$/, '')}/`);
    })
    .sort((a, b) => (b.entry.path ?? '/').length - (a.entry.path ?? '/').length);
  const chosen = matches[0];
  if (!chosen?.entry.backend.service) return undefined;
  const rewritten = chosen.rewrite === undefined ? path : path.replace(new RegExp(`^${chosen.entry.path ?? '/'}`, 'i'), chosen.rewrite);
  return { service: chosen.entry.backend.service.name, path: rewritten };
}

/** Every workload has a PodDisruptionBudget, and every budget covers some pods. */
export function disruptionBudgetProblems(objects: KubeObject[]): string[] {
  const budgets = ofKind<IPodDisruptionBudget>(objects, 'PodDisruptionBudget');
  const running = workloads(objects);
  const problems = running
    .filter((workload) => !budgets.some((budget) => selects(budget.spec?.selector?.matchLabels, workload.template.metadata?.labels)))
    .map((workload) => `${workload.kind} ${workload.name}: no PodDisruptionBudget selects its pods`);
  for (const budget of budgets) {
    if (!running.some((workload) => selects(budget.spec?.selector?.matchLabels, workload.template.metadata?.labels))) {
      problems.push(`PodDisruptionBudget ${budget.metadata.name}: selects no pods`);
    }
  }
  return problems;
}

/** Every Service selects pods and targets ports those pods declare; Ingresses name real Service ports. */
export function serviceProblems(objects: KubeObject[]): string[] {
  const problems: string[] = [];
  const services = ofKind<IService>(objects, 'Service');
  for (const service of services) {
    const where = `Service ${service.metadata.name}`;
    const backing = workloads(objects).filter((workload) => selects(service.spec?.selector, workload.template.metadata?.labels));
    if (backing.length === 0) problems.push(`${where}: selects no pods`);
    const declared = backing.flatMap((workload) => (workload.template.spec?.containers ?? []).flatMap((container) => container.ports ?? []));
    for (const port of service.spec?.ports ?? []) {
      const target = port.targetPort ?? port.port;
      const found = declared.some((candidate) => (typeof target === 'number' ? candidate.containerPort === target : candidate.name === target));
      if (!found) problems.push(`${where}: targetPort ${target} is not a port of its pods`);
    }
  }
  for (const ingress of ofKind<IIngress>(objects, 'Ingress')) {
    for (const path of (ingress.spec?.rules ?? []).flatMap((rule) => rule.http?.paths ?? [])) {
      const backend = path.backend.service;
      const service = services.find((candidate) => candidate.metadata.name === backend?.name);
      const port = service?.spec?.ports?.find((candidate) => candidate.name === backend?.port?.name || candidate.port === backend?.port?.number);
      if (port === undefined) problems.push(`Ingress ${ingress.metadata.name}: ${path.path} goes to ${backend?.name}:${backend?.port?.name ?? backend?.port?.number}, which no Service offers`);
    }
  }
  return problems;
}

/** The hosts whose Ingress rules send something to the console. */
export function consoleHosts(objects: KubeObject[]): string[] {
  const hosts = ofKind<IIngress>(objects, 'Ingress').flatMap((ingress) =>
    (ingress.spec?.rules ?? []).filter((rule) => rule.http?.paths.some((path) => path.backend.service?.name === 'console')).map((rule) => rule.host ?? ''),
  );
  return [...new Set(hosts)];
}

/**
 * On the console's host, the app's pages go to the console and `/api/<service>/<rest>` to the
 * service as `/<rest>`: the layout the console calls (its dev server and server route the same).
 */
export function consoleRouteProblems(objects: KubeObject[], host: string): string[] {
  const expected: Array<[string, IngressRoute]> = [
    ['/', { service: 'console', path: '/' }],
    ['/queue/0190d2a4', { service: 'console', path: '/queue/0190d2a4' }],
    ['/signed-in', { service: 'console', path: '/signed-in' }],
    ['/apiary', { service: 'console', path: '/apiary' }],
    ...SERVICES.map((service): [string, IngressRoute] => [`/api/${service}/v1/incidents`, { service, path: '/v1/incidents' }]),
    ['/api/triage/v1/queue/events', { service: 'triage', path: '/v1/queue/events' }],
  ];
  return expected.flatMap(([path, wanted]) => {
    const route = ingressRoute(objects, host, path);
    return route?.service === wanted.service && route.path === wanted.path
      ? []
      : [`${host}${path} goes to ${route ? `${route.service} as ${route.path}` : 'nothing'}, not ${wanted.service} as ${wanted.path}`];
  });
}
