import { performance } from 'node:perf_hooks';
import { runClosedLoop, runOpenLoop, type LoadOutcome, type LoadTarget } from '../load';
import { CpuAccounting } from '../machine';
import type { PhaseCost, PhaseMeter } from './accounting';
import type { BacklogSampler, BacklogSummary } from './backlog';
import type { DatabaseProbe } from './db-probe';
import type { Arrivals, Stage, StageResult } from './end-to-end';
import { HttpRecorder, type HttpSummary } from './http-recorder';
import type { SystemUnderTest } from './system-under-test';
import type { SignedWebhookReceiver } from './webhook-receiver';

/** Everything a phase needs of the run. */
export interface PhaseContext {
  system: SystemUnderTest;
  target: LoadTarget;
  db: DatabaseProbe;
  sampler: BacklogSampler;
  arrivals: Arrivals;
  receiver: SignedWebhookReceiver;
  meter: PhaseMeter;
  connections: number;
  drainS: number;
  settleS: number;
  log(line: string): void;
}

/** One measured phase. */
export interface PhaseResult {
  name: string;
  kind: 'idle' | 'closed' | 'open';
  /** Open loop: offered incidents per second. */
  rate?: number;
  loadS: number;
  /** All cores busy during the load alone (percent of one core): does the load saturate the machine? */
  machineBusyDuringLoad?: number;
  http?: HttpSummary;
  /** Every 201's id looked up in intake's incident table. */
  committed?: { checked: number; found: number };
  endToEnd?: Record<Stage, StageResult>;
  drain?: { waitedS: number; complete: boolean; outstandingIncidents: number; backlogLeft: number };
  /** Backlog over the load (not the drain). */
  backlog: BacklogSummary;
  /** Over load + drain + settle. */
  cost: PhaseCost;
  /** Webhooks received in the window, by event type. */
  webhooksByType: Record<string, number>;
}

/** A drained system holds at most this much (timers such as escalation keep a trickle going). */
const IDLE_BACKLOG = 20;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Nothing sent for `settleS`: what the system costs at rest, per second. */
export async function idlePhase(context: PhaseContext): Promise<PhaseResult> {
  context.log(`idle ${context.settleS} s`);
  const webhooksBefore = new Map(context.receiver.byType);
  await context.meter.start();
  const from = performance.now();
  await sleep(context.settleS * 1000);
  const to = performance.now();
  const cost = await context.meter.stop();
  return { name: 'idle', kind: 'idle', loadS: (to - from) / 1000, backlog: context.sampler.summarise(from, to, 1), cost, webhooksByType: webhookDelta(context.receiver, webhooksBefore) };
}

/** Closed-loop load not measured (JIT, pools, caches), then a drain. */
export async function warmUp(context: PhaseContext, durationS: number): Promise<void> {
  if (durationS <= 0) return;
  context.log(`warm-up ${durationS} s (closed loop, not counted)`);
  await runClosedLoop(context.target, { connections: context.connections, durationS }, new HttpRecorder(201, false).sink);
  await drain(context, new Map());
}

/** Closed loop (`rate` undefined) or open loop at `rate`, then drain and settle. */
export async function loadPhase(context: PhaseContext, durationS: number, rate?: number): Promise<PhaseResult> {
  context.system.assertRunning();
  const name = rate === undefined ? `closed ${context.connections} conn` : `open ${rate}/s`;
  context.log(`${name}: ${durationS} s`);
  const recorder = new HttpRecorder(201, true);
  const webhooksBefore = new Map(context.receiver.byType);
  await context.meter.start();
  const loadCpu = new CpuAccounting(() => Promise.resolve(new Map()));
  await loadCpu.start();
  const from = performance.now();
  const outcome: LoadOutcome =
    rate === undefined
      ? await runClosedLoop(context.target, { connections: context.connections, durationS }, recorder.sink)
      : await runOpenLoop(context.target, { connections: context.connections, durationS, rate }, recorder.sink);
  const to = performance.now();
  const machineBusyDuringLoad = (await loadCpu.stop())?.machineBusy;
  const http = recorder.summary(outcome);
  const drained = await drain(context, recorder.sends);
  await settle(context);
  const cost = await context.meter.stop();
  const ids = [...recorder.sends.keys()];
  return {
    name,
    kind: rate === undefined ? 'closed' : 'open',
    rate,
    loadS: (to - from) / 1000,
    machineBusyDuringLoad,
    http,
    committed: { checked: ids.length, found: await context.db.committedIncidents(ids) },
    endToEnd: context.arrivals.results(recorder.sends),
    drain: drained,
    backlog: context.sampler.summarise(from, to, rate ?? http.perSecond),
    cost,
    webhooksByType: webhookDelta(context.receiver, webhooksBefore),
  };
}

/** Until every incident of `sends` reached every stage and the backlog is (nearly) empty, or `drainS`. */
async function drain(context: PhaseContext, sends: ReadonlyMap<string, number>): Promise<NonNullable<PhaseResult['drain']>> {
  const started = performance.now();
  let outstanding = sends.size;
  let backlog = Number.POSITIVE_INFINITY;
  for (;;) {
    context.system.assertRunning();
    await context.arrivals.pollAudit();
    outstanding = context.arrivals.outstanding(sends);
    backlog = (await context.sampler.current()).total;
    const complete = outstanding === 0 && backlog <= IDLE_BACKLOG;
    const waitedS = (performance.now() - started) / 1000;
    if (complete || waitedS >= context.drainS) {
      if (!complete) context.log(`drain: gave up after ${context.drainS} s with ${outstanding} incidents not through every stage and a backlog of ${backlog}`);
      return { waitedS, complete, outstandingIncidents: outstanding, backlogLeft: backlog };
    }
    await sleep(1000);
  }
}

/** Idle after the drain, inside the window: Postgres flushes an idle backend's statistics up to 10 s late. */
async function settle(context: PhaseContext): Promise<void> {
  if (context.settleS > 0) await sleep(context.settleS * 1000);
}

function webhookDelta(receiver: SignedWebhookReceiver, before: ReadonlyMap<string, number>): Record<string, number> {
  return Object.fromEntries([...receiver.byType].map(([type, count]) => [type, count - (before.get(type) ?? 0)]).filter(([, count]) => (count as number) > 0));
}
