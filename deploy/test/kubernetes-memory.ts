// The services' memory: V8's heap bound (the image's NODE_OPTIONS, or the container's own)
// against the container's memory request and limit, so that a heap at its bound fails as
// "JavaScript heap out of memory" rather than the kernel killing the pod first, and the
// request covers what a replica uses under load (docs/operations.md, "Memory").
import type { IContainer } from 'kubernetes-models/v1/Container';
import { containerEnvironment, serviceDeployments, type Manifests } from './kubernetes-checks';

/**
 * Resident memory beside the heap: code, V8's own structures, Buffers, the Postgres and NATS
 * clients. Measured ~180 MiB resident with a 216 MiB heap bound (docs/BENCHMARKS.md, "Memory"),
 * so a heap near its bound plus this stays under the limit.
 */
export const OFF_HEAP_MIB = 192;
/** Peak resident memory per service under load with the image's bound (docs/BENCHMARKS.md). */
export const MEASURED_PEAK_MIB = 182;

const MIB: Record<string, number> = { Ki: 1 / 1024, Mi: 1, Gi: 1024, K: 1000 / 2 ** 20, M: 10 ** 6 / 2 ** 20, G: 10 ** 9 / 2 ** 20 };

/** A Kubernetes memory quantity (`512Mi`, `1Gi`, `500M`, bytes) in MiB. */
export function mebibytes(quantity: string | number): number {
  const [, amount, unit = ''] = /^(\d+(?:\.\d+)?)([KMG]i?)?$/.exec(String(quantity)) ?? [];
  if (amount === undefined) throw new Error(`unreadable memory quantity ${quantity}`);
  return unit ? Number(amount) * (MIB[unit] as number) : Number(amount) / 2 ** 20;
}

/**
 * V8's heap bound in MiB that NODE_OPTIONS sets, as `v8.getHeapStatistics().heap_size_limit`
 * reports it: the old space plus the young generation (two semi-spaces and a new large-object
 * space of the same size). A percentage is of the container's limit. Undefined when the old
 * space or the semi-space is left to V8 (it sizes both by the memory it sees).
 */
export function heapBoundMiB(nodeOptions: string, limitMiB: number): number | undefined {
  const flag = (name: string) => new RegExp(`--${name}=(\\d+(?:\\.\\d+)?)`).exec(nodeOptions.replace(/_/g, '-'))?.[1];
  const percentage = flag('max-old-space-size-percentage');
  const old = percentage !== undefined ? (limitMiB * Number(percentage)) / 100 : Number(flag('max-old-space-size') ?? NaN);
  const semi = Number(flag('max-semi-space-size') ?? NaN);
  return Number.isFinite(old) && Number.isFinite(semi) ? old + 3 * semi : undefined;
}

/** Each service's heap bound, limit and request agree: the heap fails first, the request covers the measured peak. */
export function memoryProblems(manifests: Manifests, imageNodeOptions: string): string[] {
  const problems: string[] = [];
  for (const { service, workload } of serviceDeployments(manifests.objects)) {
    const container = workload.template.spec?.containers.find((candidate: IContainer) => candidate.name === service);
    const where = `${service}`;
    const limit = container?.resources?.limits?.['memory'];
    const request = container?.resources?.requests?.['memory'];
    if (!container || limit === undefined || request === undefined) {
      problems.push(`${where}: no memory request or limit`);
      continue;
    }
    const nodeOptions = containerEnvironment(manifests, container).env['NODE_OPTIONS'] ?? imageNodeOptions;
    const heap = heapBoundMiB(nodeOptions, mebibytes(limit));
    if (heap === undefined) problems.push(`${where}: NODE_OPTIONS "${nodeOptions}" leaves the heap to V8 (set the old space and the semi-space)`);
    else if (heap + OFF_HEAP_MIB > mebibytes(limit)) problems.push(`${where}: a ${heap} MiB heap plus ${OFF_HEAP_MIB} MiB beside it exceeds the ${limit} limit`);
    if (mebibytes(request) < MEASURED_PEAK_MIB) problems.push(`${where}: the ${request} request is below the measured peak of ${MEASURED_PEAK_MIB} MiB`);
  }
  return problems;
}
