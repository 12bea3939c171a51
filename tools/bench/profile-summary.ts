import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
}

/** Shares of a profile's samples, in percent, largest first. */
export interface ProfileSummary {
  samples: number;
  durationS: number;
  /** Time spent in a package's own code. */
  selfByPackage: Array<[string, number]>;
  /** Time with a package anywhere on the stack (what calling into it costs, callees included). */
  inclusiveByPackage: Array<[string, number]>;
  selfByFunction: Array<[string, number]>;
}

/** Reads a `.cpuprofile` and says where intake's time went, by package and by function. */
export function summariseProfile(file: string, top = 15): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const parents = new Map<number, ProfileNode>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node);
  const selfByPackage = new Map<string, number>();
  const inclusiveByPackage = new Map<string, number>();
  const selfByFunction = new Map<string, number>();
  let samples = 0;
  for (const node of profile.nodes) {
    const hits = node.hitCount ?? 0;
    if (hits === 0) continue;
    samples += hits;
    add(selfByPackage, packageOf(node), hits);
    add(selfByFunction, functionOf(node), hits);
    for (const name of packagesOnStack(node, parents)) add(inclusiveByPackage, name, hits);
  }
  const shares = (counts: Map<string, number>) =>
    [...counts].map(([name, hits]): [string, number] => [name, (100 * hits) / samples]).sort((a, b) => b[1] - a[1]).slice(0, top);
  return {
    samples,
    durationS: (profile.endTime - profile.startTime) / 1e6,
    selfByPackage: shares(selfByPackage),
    inclusiveByPackage: shares(inclusiveByPackage),
    selfByFunction: shares(selfByFunction),
  };
}

function add(counts: Map<string, number>, key: string, hits: number): void {
  counts.set(key, (counts.get(key) ?? 0) + hits);
}

function packagesOnStack(node: ProfileNode, parents: Map<number, ProfileNode>): Set<string> {
  const names = new Set<string>();
  for (let frame: ProfileNode | undefined = node; frame; frame = parents.get(frame.id)) names.add(packageOf(frame));
  return names;
}

/** `class-validator`, `@nestjs/core`, `@watchfloor/messaging`, `apps/intake`, `node core`, `(garbage collector)`... */
export function packageOf(node: ProfileNode): string {
  const { url, functionName } = node.callFrame;
  if (url === '') return functionName.startsWith('(') ? functionName : '(native)';
  const inModules = url.lastIndexOf('/node_modules/');
  if (inModules >= 0) {
    const [scope, name] = url.slice(inModules + '/node_modules/'.length).split('/');
    return scope?.startsWith('@') ? `${scope}/${name}` : (scope ?? url);
  }
  if (url.startsWith('node:')) return 'node core';
  const lib = /\/libs\/([^/]+)\//.exec(url);
  if (lib) return `@watchfloor/${lib[1]}`;
  const app = /\/(apps\/[^/]+)\//.exec(url);
  return app ? (app[1] as string) : 'other';
}

function functionOf(node: ProfileNode): string {
  const { url, functionName, lineNumber } = node.callFrame;
  if (url === '') return functionName;
  const file = url.replace(/^.*\/node_modules\//, '').replace(/^(?:file:\/\/)?.*?\/(apps|libs)\//, '$1/');
  return `${functionName || '(anonymous)'} ${file}:${lineNumber + 1}`;
}
