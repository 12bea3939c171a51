import { CpuAccounting, memoryOf, pidsWhere } from '../machine';
import { BackendCpu } from './backend-cpu';
import type { DatabaseCounters, DatabaseProbe } from './db-probe';
import type { NatsProbe, NatsSnapshot } from './nats-probe';
import type { ServiceName, SystemUnderTest } from './system-under-test';

/** What one phase cost, over its window (load, then drain until the backlog is gone). */
export interface PhaseCost {
  windowS: number;
  /** CPU milliseconds by process group: each service, its Postgres backends (followed pid by pid), the stack, nats-server, the bench. */
  cpuMs: Record<string, number>;
  /** All cores together, everything not idle, in percent of one core. */
  machineBusyPercent: number;
  /** At the end of the window: peak resident memory so far (VmHWM) and now (VmRSS). */
  memoryKiB: Partial<Record<ServiceName, { peak: number; rss: number }>>;
  /** Committed + rolled back in the run's database, the bench's own queries taken out. */
  transactions: number;
  benchTransactions: number;
  rowWrites: Record<string, number>;
  /** Messages stored per stream. */
  published: Record<string, number>;
  /** Deliveries per durable consumer, redeliveries included. */
  deliveries: Record<string, number>;
  redeliveries: number;
}

const NATS_GROUP = 'nats-server (shared)';

/** Measures a window: CPU from /proc, the database's and JetStream's counters, memory at the end. */
export class PhaseMeter {
  private readonly counters: DatabaseCounters[] = [];
  private cpu: CpuAccounting | undefined;
  private startedAt = 0;
  private natsBefore: NatsSnapshot | undefined;
  private benchBefore = 0;
  private readonly backendCpu: BackendCpu;

  constructor(
    private readonly system: SystemUnderTest,
    private readonly db: DatabaseProbe,
    private readonly nats: NatsProbe,
    /** Port of the nats-server the system uses (others on the machine are not ours). */
    private readonly natsPort: string,
    private readonly extraGroups: () => Map<string, readonly number[]> = () => new Map(),
  ) {
    this.backendCpu = new BackendCpu(db);
  }

  async start(): Promise<void> {
    this.counters.length = 0;
    this.cpu = new CpuAccounting(() => this.groups());
    this.natsBefore = await this.nats.snapshot();
    this.benchBefore = this.db.ownTransactions;
    this.startedAt = Date.now();
    await this.cpu.start();
    await this.backendCpu.start();
  }

  async stop(): Promise<PhaseCost> {
    const cpu = await this.cpu?.stop();
    const backends = await this.backendCpu.stop();
    const natsAfter = await this.nats.snapshot();
    const [before, after] = this.counters;
    // The two counter queries themselves: the first is counted before, the second after.
    const benchTransactions = this.db.ownTransactions - this.benchBefore;
    const windowMs = cpu?.elapsedMs ?? Date.now() - this.startedAt;
    const cpuMs: Record<string, number> = {};
    for (const group of cpu?.groups ?? []) cpuMs[group.name] = (group.percent / 100) * windowMs;
    if (cpu) cpuMs['bench'] = (cpu.bench / 100) * windowMs;
    for (const [group, ms] of backends) cpuMs[group] = ms;
    const memoryKiB: PhaseCost['memoryKiB'] = {};
    for (const [name, pid] of this.system.pids) {
      const memory = memoryOf(pid);
      if (memory) memoryKiB[name] = { peak: memory.peakKiB, rss: memory.rssKiB };
    }
    const delta = (a: number | undefined, b: number | undefined) => (a ?? 0) - (b ?? 0);
    return {
      windowS: windowMs / 1000,
      cpuMs,
      machineBusyPercent: cpu?.machineBusy ?? NaN,
      memoryKiB,
      transactions: before && after ? after.commits + after.rollbacks - before.commits - before.rollbacks - benchTransactions : NaN,
      benchTransactions,
      rowWrites: Object.fromEntries([...(after?.rowWrites ?? [])].map(([schema, writes]) => [schema, writes - (before?.rowWrites.get(schema) ?? 0)])),
      published: Object.fromEntries([...natsAfter.streams].map(([name, lastSeq]) => [name, lastSeq - (this.natsBefore?.streams.get(name) ?? 0)])),
      deliveries: Object.fromEntries([...natsAfter.consumers].map(([name, counts]) => [name, delta(counts.delivered, this.natsBefore?.consumers.get(name)?.delivered)])),
      redeliveries: [...natsAfter.consumers].reduce((sum, [name, counts]) => sum + delta(counts.redelivered, this.natsBefore?.consumers.get(name)?.redelivered), 0),
    };
  }

  /** Stops any sampling still going (teardown before the window closed). */
  dispose(): void {
    this.backendCpu.dispose();
  }

  /** Called by CpuAccounting at the start and the end; takes the database counters at the same moments. */
  private async groups(): Promise<Map<string, readonly number[]>> {
    const counters = await this.db.counters();
    this.counters.push(counters);
    const groups = new Map<string, readonly number[]>();
    for (const [name, pid] of this.system.pids) groups.set(name, [pid]);
    if (this.system.launcherPid !== undefined) groups.set('npm start (log relay)', [this.system.launcherPid]);
    const nats = pidsWhere((argv) => (argv[0] ?? '').endsWith('nats-server') && servesPort(argv, this.natsPort));
    if (nats.length > 0) groups.set(NATS_GROUP, nats);
    for (const [name, pids] of this.extraGroups()) groups.set(name, pids);
    return groups;
  }
}

/** `-p 4222`, `--port 4222`, or no port at all (the default, 4222). */
function servesPort(argv: readonly string[], port: string): boolean {
  const index = argv.findIndex((arg) => arg === '-p' || arg === '--port');
  return index < 0 ? port === '4222' : argv[index + 1] === port;
}
