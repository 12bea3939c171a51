// Checks of the NetworkPolicies: they select pods that exist, open ports those pods declare,
// cover every workload, and let each service reach exactly what its configuration names.
import type { INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import type { INetworkPolicyPeer } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicyPeer';
import type { INetworkPolicyPort } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicyPort';
import { containerEnvironment, ofKind, serviceDeployments, workloads, type Manifests, type Workload } from './kubernetes-checks';
import type { KubeObject } from './kubernetes-render';

type Policy = KubeObject & INetworkPolicy;
type LabelSelector = NonNullable<INetworkPolicyPeer['podSelector']>;
type Direction = 'ingress' | 'egress';
/** One ingress or egress rule: its peers (`undefined`: everyone) and ports (`undefined`: all). */
interface Rule {
  peers: INetworkPolicyPeer[] | undefined;
  ports: INetworkPolicyPort[] | undefined;
}

/** Cloud metadata endpoints notification's SSRF check refuses (apps/notification/src/targets/target-policy.ts). */
export const METADATA_ADDRESSES = ['169.254.169.254', '169.254.170.2', '100.100.100.200'];
/** One address in each range NOTIFICATION_ALLOW_PRIVATE=false refuses: private, carrier-grade NAT, link-local. */
export const PRIVATE_SAMPLES = ['10.1.2.3', '172.16.5.4', '192.168.1.1', '100.64.0.1', '169.254.1.1'];
/** A public address, standing in for a webhook receiver, SMTP relay, identity provider or database. */
export const PUBLIC_SAMPLE = '198.51.100.7';
/** The ports notification delivers on: https webhooks, SMTP, SMTPS, submission. */
export const DELIVERY_PORTS = [443, 25, 465, 587];

export function networkPolicies(objects: KubeObject[]): Policy[] {
  return ofKind<INetworkPolicy>(objects, 'NetworkPolicy');
}

/** A label selector as the API server applies it: `{}` selects everything. */
export function selectorMatches(selector: LabelSelector | undefined, labels: Record<string, string> = {}): boolean {
  if (selector === undefined) return false;
  const byLabel = Object.entries(selector.matchLabels ?? {}).every(([key, value]) => labels[key] === value);
  return (
    byLabel &&
    (selector.matchExpressions ?? []).every(({ key, operator, values = [] }) => {
      if (operator === 'In') return key in labels && values.includes(labels[key]);
      if (operator === 'NotIn') return !(key in labels) || !values.includes(labels[key]);
      if (operator === 'Exists') return key in labels;
      if (operator === 'DoesNotExist') return !(key in labels);
      return false;
    })
  );
}

function selected(objects: KubeObject[], selector: LabelSelector | undefined): Workload[] {
  return workloads(objects).filter((workload) => selectorMatches(selector, workload.template.metadata?.labels));
}

function selectorText(selector: LabelSelector | undefined): string {
  return JSON.stringify(selector ?? {});
}

function rules(policy: Policy, direction: Direction): Rule[] {
  if (direction === 'ingress') return (policy.spec?.ingress ?? []).map((rule) => ({ peers: rule.from, ports: rule.ports }));
  return (policy.spec?.egress ?? []).map((rule) => ({ peers: rule.to, ports: rule.ports }));
}

/** The policy types a policy has, with the API server's default when it names none. */
function policyTypes(policy: Policy): Direction[] {
  const types = policy.spec?.policyTypes;
  if (types) return types.map((type) => type.toLowerCase() as Direction);
  return policy.spec?.egress ? ['ingress', 'egress'] : ['ingress'];
}

function portLabel(port: INetworkPolicyPort): string {
  return `${port.protocol ?? 'TCP'}/${String(port.port ?? '*')}${port.endPort ? `-${port.endPort}` : ''}`;
}

/** Whether a pod declares the port a policy opens towards it (by number or name, same protocol). */
function declares(workload: Workload, port: INetworkPolicyPort): boolean {
  if (port.port === undefined) return true;
  const declared = (workload.template.spec?.containers ?? []).flatMap((container) => container.ports ?? []);
  return declared.some((candidate) => {
    if ((candidate.protocol ?? 'TCP') !== (port.protocol ?? 'TCP')) return false;
    if (typeof port.port === 'string') return candidate.name === port.port;
    const number = port.port as number;
    return candidate.containerPort >= number && candidate.containerPort <= (port.endPort ?? number);
  });
}

/** Peers in the policy's own namespace: a pod selector alone. Others are outside the render. */
function localPodSelector(peer: INetworkPolicyPeer): LabelSelector | undefined {
  return peer.podSelector !== undefined && peer.namespaceSelector === undefined && peer.ipBlock === undefined ? peer.podSelector : undefined;
}

/**
 * Every policy selects pods of the render, and every pod selector among its peers does too;
 * every port opened towards a pod of the render is one that pod declares: an ingress port on
 * each pod the policy selects, an egress port on each pod a peer selects.
 */
export function networkPolicyProblems(objects: KubeObject[]): string[] {
  const problems: string[] = [];
  for (const policy of networkPolicies(objects)) {
    const where = `NetworkPolicy ${policy.metadata.name}`;
    const targets = selected(objects, policy.spec?.podSelector);
    if (targets.length === 0) problems.push(`${where}: podSelector ${selectorText(policy.spec?.podSelector)} selects no pods`);
    for (const direction of ['ingress', 'egress'] as const) {
      for (const rule of rules(policy, direction)) {
        const towards = [...(direction === 'ingress' ? targets : [])];
        for (const peer of rule.peers ?? []) {
          const selector = localPodSelector(peer);
          if (selector === undefined) continue;
          const peers = selected(objects, selector);
          if (peers.length === 0) problems.push(`${where}: ${direction} peer podSelector ${selectorText(selector)} selects no pods`);
          if (direction === 'egress') towards.push(...peers);
        }
        for (const port of rule.ports ?? []) {
          const missing = towards.filter((workload) => !declares(workload, port)).map((workload) => workload.name);
          if (missing.length > 0) problems.push(`${where}: ${direction} port ${portLabel(port)} is not a port of ${missing.join(', ')}`);
        }
      }
    }
  }
  return problems;
}

/** The rules of every policy that selects the workload's pods, in one direction. */
function rulesFor(objects: KubeObject[], workload: Workload, direction: Direction): Rule[] {
  return networkPolicies(objects)
    .filter((policy) => policyTypes(policy).includes(direction) && selectorMatches(policy.spec?.podSelector, workload.template.metadata?.labels))
    .flatMap((policy) => rules(policy, direction));
}

function deniedOnPurpose(objects: KubeObject[], workload: Workload, direction: Direction): boolean {
  return networkPolicies(objects).some(
    (policy) =>
      !selectorMatches(policy.spec?.podSelector, {}) &&
      selectorMatches(policy.spec?.podSelector, workload.template.metadata?.labels) &&
      policyTypes(policy).includes(direction) &&
      rules(policy, direction).length === 0,
  );
}

/**
 * A default deny for every pod of the namespace, and for each workload a policy that allows it
 * something each way, or one of its own that says it needs nothing that way (the console's
 * egress: a policy selecting it by label, with the direction among its types and no rule).
 */
export function policyCoverageProblems(objects: KubeObject[]): string[] {
  const problems: string[] = [];
  const denyAll = networkPolicies(objects).some(
    (policy) =>
      selectorMatches(policy.spec?.podSelector, {}) &&
      policyTypes(policy).length === 2 &&
      rules(policy, 'ingress').length === 0 &&
      rules(policy, 'egress').length === 0,
  );
  if (!denyAll) problems.push('no NetworkPolicy denies all ingress and egress of every pod by default');
  for (const workload of workloads(objects)) {
    for (const direction of ['ingress', 'egress'] as const) {
      if (rulesFor(objects, workload, direction).length === 0 && !deniedOnPurpose(objects, workload, direction)) problems.push(`${workload.kind} ${workload.name}: no NetworkPolicy allows it any ${direction}`);
    }
  }
  return problems;
}

function ipv4(address: string): number | undefined {
  const parts = address.split('.').map(Number);
  if (parts.length !== 4 || parts.some((part) => !Number.isInteger(part) || part < 0 || part > 255)) return undefined;
  return parts.reduce((value, part) => value * 256 + part, 0);
}

/** Whether an IPv4 CIDR holds an IPv4 address (IPv6 blocks hold none). */
function cidrHolds(cidr: string, address: string): boolean {
  const [base, bits] = cidr.split('/');
  const start = ipv4(base ?? '');
  const value = ipv4(address);
  if (start === undefined || value === undefined) return false;
  const size = 2 ** (32 - Number(bits));
  return Math.floor(value / size) === Math.floor(start / size);
}

function portOpens(ports: INetworkPolicyPort[] | undefined, port: number | undefined, protocol: string): boolean {
  if (ports === undefined || ports.length === 0) return true;
  return ports.some(
    (candidate) =>
      (candidate.protocol ?? 'TCP') === protocol &&
      (candidate.port === undefined ||
        port === undefined ||
        (typeof candidate.port === 'number' && port >= candidate.port && port <= (candidate.endPort ?? candidate.port))),
  );
}

/**
 * Whether some egress rule of the workload lets it reach `address` outside the cluster on
 * `port` (undefined: on any port). Only ipBlocks (and rules without peers) reach outside.
 */
export function egressAdmits(objects: KubeObject[], workload: Workload, address: string, port?: number, protocol = 'TCP'): boolean {
  return rulesFor(objects, workload, 'egress').some((rule) => {
    const reaches =
      rule.peers === undefined ||
      rule.peers.length === 0 ||
      rule.peers.some(({ ipBlock }) => ipBlock !== undefined && cidrHolds(ipBlock.cidr, address) && !(ipBlock.except ?? []).some((except) => cidrHolds(except, address)));
    return reaches && portOpens(rule.ports, port, protocol);
  });
}

/** Whether some egress rule lets the workload reach pods of the render that `target` runs on `port`. */
function egressReachesPods(objects: KubeObject[], workload: Workload, target: Workload, port: number): boolean {
  return rulesFor(objects, workload, 'egress').some((rule) => {
    const reaches =
      rule.peers === undefined ||
      rule.peers.length === 0 ||
      rule.peers.some((peer) => selectorMatches(localPodSelector(peer), target.template.metadata?.labels));
    return reaches && portOpens(rule.ports, port, 'TCP');
  });
}

/**
 * Who may reach the workload's named port: the workloads of the render a local pod selector
 * picks, `namespace <labels>` for a namespace selector, `<cidr>` for an ipBlock, or `anyone`.
 */
export function ingressSources(objects: KubeObject[], workload: Workload, portName: string): string[] {
  const declared = (workload.template.spec?.containers ?? []).flatMap((container) => container.ports ?? []).find((port) => port.name === portName);
  if (!declared) throw new Error(`${workload.name} declares no port ${portName}`);
  const sources = rulesFor(objects, workload, 'ingress')
    .filter((rule) => portOpens(rule.ports?.map((port) => (port.port === portName ? { ...port, port: declared.containerPort } : port)), declared.containerPort, declared.protocol ?? 'TCP'))
    .flatMap((rule) =>
      (rule.peers ?? []).length === 0
        ? ['anyone']
        : (rule.peers ?? []).flatMap((peer) => {
            const local = localPodSelector(peer);
            if (local) return selected(objects, local).map((source) => source.name);
            if (peer.ipBlock) return [peer.ipBlock.cidr];
            const labels = Object.entries(peer.namespaceSelector?.matchLabels ?? {}).map(([key, value]) => `${key}=${value}`);
            return [`namespace ${labels.join(',') || '*'}${peer.podSelector ? ` pods ${selectorText(peer.podSelector)}` : ''}`];
          }),
    );
  return [...new Set(sources)].sort();
}

/** Every port a workload's egress rules open, as `PROTOCOL/port`, by port number. */
export function egressPorts(objects: KubeObject[], workload: Workload): string[] {
  const ports = rulesFor(objects, workload, 'egress').flatMap((rule) => (rule.ports ?? [{}]).map(portLabel));
  const number = (label: string): number => Number.parseInt(label.split('/')[1] ?? '', 10) || 0;
  return [...new Set(ports)].sort((a, b) => number(a) - number(b) || a.localeCompare(b));
}

function urlPort(raw: string | undefined, defaults: Record<string, number>): { host: string; port: number } | undefined {
  if (raw === undefined) return undefined;
  try {
    const url = new URL(raw);
    return { host: url.hostname, port: Number(url.port) || (defaults[url.protocol] ?? 0) };
  } catch {
    return undefined;
  }
}

/**
 * Each service reaches what its environment names: its NATS servers (pods of the render), the
 * cluster DNS, its database, and in JWKS mode the identity provider at a public address.
 */
export function serviceEgressProblems(manifests: Manifests): string[] {
  const { objects } = manifests;
  const problems: string[] = [];
  const nats = workloads(objects).find((workload) => workload.kind === 'StatefulSet' && workload.name === 'nats');
  for (const { service, workload } of serviceDeployments(objects)) {
    const container = workload.template.spec?.containers[0];
    if (!container) continue;
    const { env } = containerEnvironment(manifests, container);
    for (const server of (env['NATS_URL'] ?? '').split(',').filter(Boolean)) {
      const { port } = urlPort(server, { 'nats:': 4222 }) ?? { port: 4222 };
      if (!nats || !egressReachesPods(objects, workload, nats, port)) problems.push(`${service}: may not reach NATS (${server})`);
    }
    if (!rulesFor(objects, workload, 'egress').some((rule) => portOpens(rule.ports, 53, 'UDP'))) {
      problems.push(`${service}: may not ask the cluster DNS (UDP 53)`);
    }
    const database = urlPort(env['DATABASE_URL'], { 'postgres:': 5432, 'postgresql:': 5432 });
    for (const address of [PUBLIC_SAMPLE, PRIVATE_SAMPLES[0]]) {
      if (!database || !egressAdmits(objects, workload, address, database.port)) problems.push(`${service}: may not reach its database on port ${database?.port} at ${address}`);
    }
    if (env['AUTH_MODE'] === 'jwks') {
      const jwks = urlPort(env['AUTH_JWKS_URL'], { 'https:': 443, 'http:': 80 });
      if (!jwks || !egressAdmits(objects, workload, PUBLIC_SAMPLE, jwks.port)) problems.push(`${service}: may not fetch the JWKS (${env['AUTH_JWKS_URL']})`);
    }
  }
  return problems;
}

/**
 * Notification never reaches a metadata endpoint; delivers to public addresses on https and
 * SMTP (and http only when NOTIFICATION_ALLOW_HTTP is true); and reaches private addresses on
 * those ports only when NOTIFICATION_ALLOW_PRIVATE is true, as its SSRF check does.
 */
export function notificationEgressProblems(manifests: Manifests): string[] {
  const { objects } = manifests;
  const notification = serviceDeployments(objects).find(({ service }) => service === 'notification')?.workload;
  const container = notification?.template.spec?.containers[0];
  if (!notification || !container) return ['notification: no Deployment'];
  const { env } = containerEnvironment(manifests, container);
  const allowHttp = env['NOTIFICATION_ALLOW_HTTP'] === 'true';
  const allowPrivate = env['NOTIFICATION_ALLOW_PRIVATE'] === 'true';
  const problems: string[] = [];
  for (const address of METADATA_ADDRESSES) {
    if (egressAdmits(objects, notification, address)) problems.push(`notification: egress admits the metadata address ${address}`);
  }
  const smtp = urlPort(env['NOTIFICATION_SMTP_URL'], { 'smtp:': 25, 'smtps:': 465 });
  const deliveryPorts = [...new Set([...DELIVERY_PORTS, ...(smtp ? [smtp.port] : []), ...(allowHttp ? [80] : [])])];
  for (const port of deliveryPorts) {
    if (!egressAdmits(objects, notification, PUBLIC_SAMPLE, port)) problems.push(`notification: may not deliver to public addresses on port ${port}`);
    if (allowPrivate) continue;
    for (const address of PRIVATE_SAMPLES) {
      if (egressAdmits(objects, notification, address, port)) problems.push(`notification: egress admits ${address}:${port} though NOTIFICATION_ALLOW_PRIVATE is not true`);
    }
  }
  if (!allowHttp && egressAdmits(objects, notification, PUBLIC_SAMPLE, 80)) problems.push('notification: egress opens port 80 though NOTIFICATION_ALLOW_HTTP is not true');
  return problems;
}
