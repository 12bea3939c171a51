import { processCpuMs } from '../machine';
import type { DatabaseProbe } from './db-probe';
import { SERVICES } from './system-under-test';

const INTERVAL_MS = 1000;

interface Backend {
  group: string;
  /** CPU when first seen; 0 for a backend that appeared during the window (all its CPU is the window's). */
  baseMs: number;
  lastMs: number;
}

/**
 * CPU of the Postgres backends serving each service. The pools open and close connections
 * (idle timeouts), so a before/after sum of whatever pids exist at the two moments would be
 * wrong, even negative: each backend is followed by pid once a second instead, and one that
 * exits keeps the CPU last read (up to a second of its work is lost).
 */
export class BackendCpu {
  private readonly backends = new Map<number, Backend>();
  private timer: NodeJS.Timeout | undefined;
  private sampling: Promise<void> | undefined;

  constructor(private readonly db: DatabaseProbe) {}

  async start(): Promise<void> {
    this.backends.clear();
    await this.sample(false);
    this.timer = setInterval(() => {
      // A failed reading (the probe closing on Ctrl-C) loses one second, never the run.
      this.sampling ??= this.sample(true)
        .catch(() => undefined)
        .finally(() => (this.sampling = undefined));
    }, INTERVAL_MS);
  }

  /** Stops sampling without a result (the run is being torn down). */
  dispose(): void {
    clearInterval(this.timer);
  }

  /** CPU ms per group (`postgres <service>`) since start. */
  async stop(): Promise<Map<string, number>> {
    clearInterval(this.timer);
    await this.sampling;
    await this.sample(true);
    const groups = new Map<string, number>();
    for (const { group, baseMs, lastMs } of this.backends.values()) groups.set(group, (groups.get(group) ?? 0) + lastMs - baseMs);
    return groups;
  }

  private async sample(inWindow: boolean): Promise<void> {
    for (const { pid, app } of await this.db.backends()) {
      const cpuMs = processCpuMs(pid);
      if (cpuMs === 0 && this.backends.has(pid)) continue; // gone since the query: keep the last reading
      const known = this.backends.get(pid);
      if (known) known.lastMs = cpuMs;
      else this.backends.set(pid, { group: groupOf(app), baseMs: inWindow ? 0 : cpuMs, lastMs: cpuMs });
    }
  }
}

/** `watchfloor-intake`, `watchfloor-intake-messaging` -> `postgres intake`. */
function groupOf(app: string): string {
  const service = SERVICES.find((name) => app.split(/[^a-z]+/).includes(name));
  return `postgres ${service ?? `(${app || 'no application_name'})`}`;
}
