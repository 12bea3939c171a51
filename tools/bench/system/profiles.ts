import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { summariseProfile, type ProfileSummary } from '../profile-summary';
import type { ServiceName } from './system-under-test';

/** One service's profile, written by `node --cpu-prof` as it exited. */
export interface ServiceProfile {
  service: ServiceName;
  file: string;
  summary: ProfileSummary;
}

/** Where `--cpu-prof` writes: `--cpu-prof-dir`, else the process's working directory (the root). */
export function profileDirectory(nodeArgs: readonly string[], root: string): string | undefined {
  if (!nodeArgs.includes('--cpu-prof')) return undefined;
  const index = nodeArgs.findIndex((arg) => arg === '--cpu-prof-dir' || arg.startsWith('--cpu-prof-dir='));
  if (index < 0) return root;
  const arg = nodeArgs[index] as string;
  const dir = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : nodeArgs[index + 1];
  return dir === undefined ? root : resolve(root, dir);
}

/** Node names profiles `CPU.<date>.<time>.<pid>.<thread>.<seq>.cpuprofile`: the pid says whose it is. */
export function collectProfiles(dir: string, pids: ReadonlyMap<ServiceName, number>): ServiceProfile[] {
  if (!existsSync(dir)) return [];
  const files = readdirSync(dir).filter((file) => file.endsWith('.cpuprofile'));
  return [...pids].flatMap(([service, pid]) => {
    const file = files.find((name) => name.split('.')[3] === String(pid));
    return file ? [{ service, file: join(dir, file), summary: summariseProfile(join(dir, file), 8) }] : [];
  });
}
