import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import { performance } from 'node:perf_hooks';

/** What a figure was measured on; printed with every run. */
export interface MachineInfo {
  cpuModel: string;
  cores: number;
  ramGiB: number;
  osRelease: string;
  node: string;
  loadAverage: readonly number[];
}

export function machineInfo(): MachineInfo {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    ramGiB: os.totalmem() / 1024 ** 3,
    osRelease: `${os.type()} ${os.release()}`,
    node: process.version,
    loadAverage: os.loadavg(),
  };
}

/** CPU time (ms) of the processes that take part, and of the whole machine. */
interface CpuSnapshot {
  atMs: number;
  machineBusyMs: number;
  processes: Map<string, number>;
}

/** Named groups of processes whose CPU a run accounts for. */
export type ProcessGroups = () => Promise<Map<string, readonly number[]>>;

/** CPU use over the measured window, in percent of one core (2 cores = 200 %). */
export interface CpuReport {
  /** Length of the window the percentages are of. */
  elapsedMs: number;
  machineBusy: number;
  groups: Array<{ name: string; percent: number }>;
  bench: number;
}

// /proc reports CPU in clock ticks; 100 on every Linux we run, but ask.
const TICK_MS = 1000 / (Number(spawnSync('getconf', ['CLK_TCK']).stdout?.toString().trim()) || 100);

/**
 * Reads /proc before and after the measured window: which process ate the cores matters
 * as much as the throughput when intake, Postgres, NATS and the load generator share two.
 * Without /proc (not Linux) it reports nothing.
 */
export class CpuAccounting {
  private before: CpuSnapshot | undefined;
  private benchBefore = process.cpuUsage();

  constructor(private readonly groups: ProcessGroups) {}

  async start(): Promise<void> {
    this.before = await this.snapshot();
    this.benchBefore = process.cpuUsage();
  }

  async stop(): Promise<CpuReport | undefined> {
    const before = this.before;
    if (!before || before.machineBusyMs < 0) return undefined;
    const bench = process.cpuUsage(this.benchBefore);
    const after = await this.snapshot();
    const elapsedMs = after.atMs - before.atMs;
    const percent = (ms: number) => (100 * ms) / elapsedMs;
    return {
      elapsedMs,
      machineBusy: percent(after.machineBusyMs - before.machineBusyMs),
      groups: [...after.processes].map(([name, ms]) => ({ name, percent: percent(ms - (before.processes.get(name) ?? 0)) })),
      bench: percent((bench.user + bench.system) / 1000),
    };
  }

  private async snapshot(): Promise<CpuSnapshot> {
    const processes = new Map<string, number>();
    for (const [name, pids] of await this.groups()) processes.set(name, pids.reduce((sum, pid) => sum + processCpuMs(pid), 0));
    return { atMs: performance.now(), machineBusyMs: machineBusyMs(), processes };
  }
}

/** utime + stime of a process, 0 once it is gone. */
export function processCpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may hold spaces and parentheses; fields are counted after its ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
  } catch {
    return 0;
  }
}

/** Busy time of all cores together (everything but idle and iowait), -1 without /proc. */
function machineBusyMs(): number {
  try {
    const [, ...ticks] = (readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '').trim().split(/\s+/).map(Number);
    // Skipped: idle and iowait (an idle core waiting on the disk is still free to compute).
    const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = ticks;
    return (user + nice + system + irq + softirq + steal) * TICK_MS;
  } catch {
    return -1;
  }
}

/** Processes whose command line matches, e.g. the nats-server serving a given port. */
export function pidsWhere(match: (commandLine: string[]) => boolean): number[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc').filter((entry) => /^\d+$/.test(entry));
  } catch {
    return [];
  }
  return entries.flatMap((entry) => {
    try {
      const commandLine = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').filter(Boolean);
      return match(commandLine) ? [Number(entry)] : [];
    } catch {
      return [];
    }
  });
}

/** Direct children of a process (from the parent field of /proc/<pid>/stat). */
export function childPids(parent: number): number[] {
  return pidsWhere(() => true).filter((pid) => {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === parent;
    } catch {
      return false;
    }
  });
}

/** Resident memory of a process in KiB: its peak so far (VmHWM) and now (VmRSS); undefined once it is gone. */
export function memoryOf(pid: number): { peakKiB: number; rssKiB: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    return { peakKiB: field('VmHWM'), rssKiB: field('VmRSS') };
  } catch {
    return undefined;
  }
}
