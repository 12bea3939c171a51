import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expectEventually } from './eventually';
import { natsServerBinary } from './nats';
import { freePort } from './ports';

/** A JetStream cluster of the test's own, on loopback, whose servers it may kill and restart. */
export interface NatsCluster {
  /** Client URLs, one per server, in server order. */
  urls: string[];
  /** Server names (`wf-0`, `wf-1`, ...), as JetStream reports leaders and replicas. */
  names: string[];
  /** Index of the server named `name` (e.g. a stream's leader), or -1. */
  indexOf(name: string): number;
  /** Whether server `i` runs. */
  isRunning(i: number): boolean;
  /** SIGKILL server `i`: no goodbye to its routes or clients, as a crash would. */
  kill(i: number): Promise<void>;
  /** Starts server `i` again on its ports and store, and waits until it is back in the cluster. */
  restart(i: number): Promise<void>;
  /** Stops every server (SIGTERM) and removes their stores. */
  stop(): Promise<void>;
}

interface ServerSlot {
  name: string;
  clientPort: number;
  routePort: number;
  monitorPort: number;
  dir: string;
  child?: ChildProcess;
}

const CLUSTER_NAME = 'wf-test';

/**
 * Starts `size` nats-server processes with JetStream, each with its own store directory,
 * routed to each other, and waits until every one answers `/healthz` (JetStream current
 * with a meta leader). Starts in well under a second.
 */
export async function startNatsCluster(size = 3): Promise<NatsCluster> {
  const binary = natsServerBinary();
  if (!binary) throw new Error('nats-server not found: install it (apt-get install nats-server) or set NATS_SERVER_BIN');
  if (!Number.isInteger(size) || size < 1) throw new Error(`a cluster needs at least one server, not ${size}`);
  const root = mkdtempSync(join(tmpdir(), 'wf-nats-cluster-'));
  const launch = (slot: ServerSlot) => {
    slot.child = spawn(binary, ['-c', `${slot.dir}.conf`], { stdio: 'ignore' });
  };
  const halt = async (slot: ServerSlot, signal: NodeJS.Signals) => {
    const running = slot.child;
    slot.child = undefined;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill(signal);
    await exited;
  };

  // A port freePort found free can be taken before the server binds it: that server exits at
  // once, and the cluster starts again on other ports.
  let slots: ServerSlot[] = [];
  for (let attempt = 1; ; attempt++) {
    // Each attempt with stores of its own: nothing of a failed start is carried over.
    slots = await allocateSlots(size, mkdtempSync(join(root, `attempt-${attempt}-`)));
    const routes = slots.map((slot) => `nats-route://127.0.0.1:${slot.routePort}`);
    for (const slot of slots) writeFileSync(`${slot.dir}.conf`, configOf(slot, routes));
    slots.forEach(launch);
    try {
      const outcome = await expectEventually(async () => {
        if (slots.some(exitedAtStart)) return 'exited';
        for (const slot of slots) await expectHealthy(slot);
        return 'healthy';
      }, { timeoutMs: 30_000, intervalMs: 50 });
      if (outcome === 'healthy') break;
      if (attempt >= 3) throw new Error(`nats-server exited at start: ${slots.filter(exitedAtStart).map((slot) => slot.name).join(', ')}`);
      await Promise.all(slots.map((slot) => halt(slot, 'SIGKILL')));
    } catch (error) {
      await Promise.all(slots.map((slot) => halt(slot, 'SIGKILL')));
      rmSync(root, { recursive: true, force: true });
      throw error;
    }
  }
  const slotAt = (i: number): ServerSlot => {
    const slot = slots[i];
    if (!slot) throw new Error(`no server ${i} in a cluster of ${slots.length}`);
    return slot;
  };

  return {
    urls: slots.map((slot) => `nats://127.0.0.1:${slot.clientPort}`),
    names: slots.map((slot) => slot.name),
    indexOf: (name) => slots.findIndex((slot) => slot.name === name),
    isRunning: (i) => slotAt(i).child !== undefined,
    kill: (i) => halt(slotAt(i), 'SIGKILL'),
    restart: async (i) => {
      const slot = slotAt(i);
      await halt(slot, 'SIGTERM');
      launch(slot);
      await expectEventually(() => expectHealthy(slot), { timeoutMs: 30_000, intervalMs: 50 });
    },
    stop: async () => {
      await Promise.all(slots.map((slot) => halt(slot, 'SIGTERM')));
      rmSync(root, { recursive: true, force: true });
    },
  };
}

const exitedAtStart = (slot: ServerSlot) => slot.child !== undefined && slot.child.exitCode !== null;

/** `size` slots with three ports each, no port given twice (freePort may hand one out again once released). */
async function allocateSlots(size: number, root: string): Promise<ServerSlot[]> {
  const taken = new Set<number>();
  const distinctPort = async () => {
    for (;;) {
      const port = await freePort();
      if (!taken.has(port)) {
        taken.add(port);
        return port;
      }
    }
  };
  const slots: ServerSlot[] = [];
  for (let i = 0; i < size; i++) {
    slots.push({ name: `wf-${i}`, clientPort: await distinctPort(), routePort: await distinctPort(), monitorPort: await distinctPort(), dir: join(root, `wf-${i}`) });
  }
  return slots;
}

function configOf(slot: ServerSlot, routes: string[]): string {
  // JSON is valid nats-server configuration, and quotes paths safely.
  return JSON.stringify({
    server_name: slot.name,
    host: '127.0.0.1',
    port: slot.clientPort,
    http: `127.0.0.1:${slot.monitorPort}`,
    jetstream: { store_dir: slot.dir },
    cluster: { name: CLUSTER_NAME, listen: `127.0.0.1:${slot.routePort}`, routes },
  }, null, 2);
}

/** `/healthz` answers 200 once the server's JetStream is current and knows its meta leader. */
async function expectHealthy(slot: ServerSlot): Promise<void> {
  if (slot.child && slot.child.exitCode !== null) throw new Error(`nats-server ${slot.name} exited (${slot.child.exitCode})`);
  const response = await fetch(`http://127.0.0.1:${slot.monitorPort}/healthz`);
  if (!response.ok) throw new Error(`nats-server ${slot.name} not healthy: ${response.status} ${await response.text()}`);
  const jsz = (await (await fetch(`http://127.0.0.1:${slot.monitorPort}/jsz`)).json()) as { meta_cluster?: { leader?: string } };
  if (!jsz.meta_cluster?.leader) throw new Error(`nats-server ${slot.name} knows no JetStream meta leader yet`);
}
