import type { MachineInfo } from '../machine';
import type { PeerResult } from './alertmanager-peer';
import { STAGE_NAMES, STAGES } from './end-to-end';
import type { SystemOptions } from './options';
import type { PhaseResult } from './phases';
import type { ServiceProfile } from './profiles';
import { SERVICES } from './system-under-test';
import { ms, per, table } from './table';

/** Everything one run found; `--json` prints exactly this. */
export interface SystemReport {
  startedAt: string;
  finishedAt: string;
  command: string;
  mode: SystemOptions['mode'];
  system: string;
  root: string;
  commit: string;
  machine: MachineInfo;
  loadAverageAfter: readonly number[];
  servers: { postgres: string; nats: string };
  options: SystemOptions;
  setup: { database: string; namespace: string; subscription: { id: string; target: string; events: readonly string[] }; bodies: { count: number; meanBytes: number; tlpChangedToAmber: number } };
  idle: PhaseResult;
  peer?: PeerResult;
  phases: PhaseResult[];
  /** Watchfloor closed-loop accepted/s divided by Alertmanager's. */
  ratioToPeer?: number;
  /** Highest open-loop rate whose backlog stayed flat; null when none did. */
  sustainedRate: number | null;
  receiver: { verified: number; forged: number; duplicates: number };
  output: { bytes: number; lines: number };
  profiles?: { dir: string; services: ServiceProfile[] };
  backlogSampleFailures: number;
}

const loads = (values: readonly number[]) => values.map((value) => value.toFixed(2)).join(' ');
const mib = (kib: number | undefined) => (kib === undefined ? 'n/a' : (kib / 1024).toFixed(0));
const accepted = (phase: PhaseResult) => phase.http?.accepted ?? 0;
const statuses = (counts: Record<string, number> | undefined) => Object.entries(counts ?? {}).map(([status, count]) => `${status}:${count}`).join(' ') || '0';
/** Non-201 answers, then what got no answer: connection errors, timeouts, open-loop sends skipped. */
const failures = (http: PhaseResult['http']) => {
  if (!http) return 'n/a';
  const extra = [http.errors ? `err:${http.errors}` : '', http.timeouts ? `timeout:${http.timeouts}` : '', http.notSent ? `not sent:${http.notSent}` : ''].filter(Boolean);
  return [statuses(http.nonSuccess), ...extra].join(' ');
};

function header(report: SystemReport): string[] {
  const { machine, options } = report;
  return [
    'Watchfloor whole-system benchmark (npm run bench:system)',
    `date         ${report.startedAt} .. ${report.finishedAt}`,
    `command      ${report.command}`,
    `mode         ${report.mode}: ${report.system}`,
    `commit       ${report.commit} (${report.root})`,
    `machine      ${machine.cpuModel}, ${machine.cores} cores, ${machine.ramGiB.toFixed(1)} GiB RAM, ${machine.osRelease}, node ${machine.node}`,
    `servers      ${report.servers.postgres}; nats-server ${report.servers.nats} (shared with whatever else runs here)`,
    `load avg     ${loads(machine.loadAverage)} before, ${loads(report.loadAverageAfter)} after (1/5/15 min; the machine is shared)`,
    `setup        database ${report.setup.database}, NATS namespace ${report.setup.namespace}; rate limit lifted`,
    `             webhook subscription ${report.setup.subscription.id} (partner, clearance amber, all ${report.setup.subscription.events.length} event types, no filter) -> ${report.setup.subscription.target}, every signature verified`,
    `bodies       ${report.setup.bodies.count} varied valid submissions (seed ${options.seed}, mean ${Math.round(report.setup.bodies.meanBytes)} B; ${report.setup.bodies.tlpChangedToAmber} red/amber+strict made amber so the partner receives every one), national official token`,
  ];
}

function throughput(report: SystemReport): string[] {
  const closed = report.phases.find((phase) => phase.kind === 'closed');
  const rows: string[][] = [];
  const row = (name: string, http: PhaseResult['http']) => {
    if (http) rows.push([name, http.perSecond.toFixed(0), ms(http.p50Ms), ms(http.p99Ms), statuses(http.nonSuccess), `${http.errors}/${http.timeouts}`]);
  };
  if (closed) row(`Watchfloor POST /v1/incidents (201)`, closed.http);
  if (report.peer) row(`Alertmanager POST /api/v2/alerts (200)`, report.peer.http);
  const lines = [
    '',
    `closed loop: ${report.options.connections} connections, ${report.options.durationS} s measured after ${report.options.warmupS} s warm-up (autocannon)`,
    ...table(['system', 'accepted/s', 'p50 ms', 'p99 ms', 'non-2xx', 'conn err/timeouts'], rows),
  ];
  if (closed?.committed) lines.push(`  every 201 committed: ${closed.committed.found} of ${closed.committed.checked} ids found in intake.incident`);
  if (closed) lines.push(...capacity(closed, report.machine.cores));
  if (report.ratioToPeer !== undefined) lines.push(`  ratio Watchfloor / Alertmanager: ${report.ratioToPeer.toFixed(2)} (Alertmanager measured while Watchfloor was idle; Watchfloor after Alertmanager was stopped)`);
  if (report.peer) lines.push(`  Alertmanager notified ${report.peer.notifiedAlerts} alerts to its webhook by the time it was stopped; CPU ${ms(report.peer.cpuMsPerAccepted.alertmanager)} ms per alert`);
  for (const [status, body] of Object.entries(closed?.http?.firstBodies ?? {})) lines.push(`  first ${status} body: ${body}`);
  return lines;
}

/**
 * What the whole machine spent per incident, the bench aside, over the closed loop and its
 * drain: with every process on the same cores, that bounds the rate the system can carry
 * end to end, whatever intake accepts for a while.
 */
function capacity(closed: PhaseResult, cores: number): string[] {
  const incidents = accepted(closed);
  const systemMs = Object.entries(closed.cost.cpuMs).filter(([name]) => name !== 'bench').reduce((sum, [, ms]) => sum + ms, 0);
  if (incidents === 0 || systemMs === 0) return [];
  const perIncident = systemMs / incidents;
  return [
    `  machine busy during the load ${(closed.machineBusyDuringLoad ?? NaN).toFixed(0)}% of ${cores * 100}%; CPU of every process of the system per incident (load + drain, bench excluded): ${ms(perIncident)} ms`,
    `  => on ${cores} cores the system can carry at most ~${((cores * 1000) / perIncident).toFixed(0)} incidents/s end to end (the closed loop's accepted/s is higher while downstream falls behind)`,
  ];
}

function latencies(report: SystemReport): string[] {
  const stageCell = (phase: PhaseResult, stage: (typeof STAGE_NAMES)[number]) => {
    const result = phase.endToEnd?.[stage];
    return result ? `${ms(result.p50Ms)} / ${ms(result.p99Ms)}${result.missing ? ` (${result.missing} missing)` : ''}` : 'n/a';
  };
  const rows = report.phases.map((phase) => [
    phase.name,
    (phase.http?.perSecond ?? 0).toFixed(0),
    phase.http ? `${ms(phase.http.p50Ms)} / ${ms(phase.http.p99Ms)}` : 'n/a',
    ...STAGE_NAMES.map((stage) => stageCell(phase, stage)),
    failures(phase.http),
    phase.drain ? `${phase.drain.waitedS.toFixed(0)} s${phase.drain.complete ? '' : ' (gave up)'}` : '',
  ]);
  return [
    '',
    'latency, p50 / p99 ms, from the POST\'s send time (open loop: its scheduled time, so a stall shows)',
    ...table(['phase', 'accepted/s', 'HTTP', '-> triaged', '-> webhook reported', '-> webhook triaged', '-> audit entry', 'non-201 / no answer', 'drain'], rows),
    ...STAGE_NAMES.map((stage) => `  ${stage.padEnd(16)} ${STAGES[stage]}`),
    '  missing: accepted incidents that never reached the stage within the drain time',
  ];
}

function backlog(report: SystemReport): string[] {
  const rows = [report.idle, ...report.phases].map((phase) => [
    phase.name,
    String(phase.backlog.start),
    String(phase.backlog.end),
    String(phase.backlog.max),
    phase.backlog.slopePerS.toFixed(1),
    phase.backlog.flat ? 'flat' : 'GROWS',
    phase.backlog.largestAtMax ?? '',
  ]);
  return [
    '',
    'backlog over each load (sampled every second): every durable consumer\'s num_pending + num_ack_pending, unpublished outbox rows, deliveries owed',
    ...table(['phase', 'start', 'end', 'max', 'slope/s', 'trend', 'largest at max'], rows),
    '  flat: the least-squares line through the samples of the last two thirds of the load (the first third is the ramp from empty)',
    '  rises by less than one second of arrivals (rate x 1 s messages) over those two thirds; slope/s is that line\'s',
    `  sustained rate (highest open-loop rate with a flat backlog): ${report.sustainedRate === null ? 'none of the rates' : `${report.sustainedRate}/s`}`,
  ];
}

function costs(report: SystemReport): string[] {
  const phases = report.phases;
  const groups = [...new Set(phases.flatMap((phase) => Object.keys(phase.cost.cpuMs)))];
  const order = (name: string) => {
    const service = SERVICES.findIndex((s) => name === s || name === `postgres ${s}`);
    return service >= 0 ? service * 2 + (name.startsWith('postgres') ? 1 : 0) : 100;
  };
  groups.sort((a, b) => order(a) - order(b) || a.localeCompare(b));
  const idleSeconds = report.idle.cost.windowS;
  const cpuRows = groups.map((group) => [group, ...phases.map((phase) => per(phase.cost.cpuMs[group] ?? 0, accepted(phase))), per(report.idle.cost.cpuMs[group] ?? 0, idleSeconds)]);
  const phaseNames = phases.map((phase) => phase.name);
  const lines = [
    '',
    'CPU ms per accepted incident, over load + drain + settle of each phase (/proc utime+stime; idle: ms per second at rest)',
    ...table(['process', ...phaseNames, 'idle ms/s'], cpuRows),
    `  windows: ${phases.map((phase) => `${phase.name} ${phase.cost.windowS.toFixed(0)} s, machine busy ${phase.cost.machineBusyPercent.toFixed(0)}%`).join('; ')}`,
    '',
    'memory per service (VmHWM: peak since start, at the end of each phase; RSS at the end of the run), MiB',
  ];
  const last = phases[phases.length - 1] ?? report.idle;
  lines.push(...table(['service', ...phaseNames.map((name) => `peak after ${name}`), 'RSS at end'], SERVICES.map((service) => [service, ...phases.map((phase) => mib(phase.cost.memoryKiB[service]?.peak)), mib(last.cost.memoryKiB[service]?.rss)])));
  const schemas = [...new Set(phases.flatMap((phase) => Object.keys(phase.cost.rowWrites)))].sort();
  const streams = [...new Set(phases.flatMap((phase) => Object.keys(phase.cost.published)))].sort();
  const sum = (values: Record<string, number>) => Object.values(values).reduce((total, n) => total + n, 0);
  lines.push(
    '',
    'Postgres and NATS per accepted incident (over the same windows)',
    ...table(
      ['counter', ...phaseNames, 'idle /s'],
      [
        ['transactions (database total)', ...phases.map((phase) => per(phase.cost.transactions, accepted(phase))), per(report.idle.cost.transactions, idleSeconds)],
        ...schemas.map((schema) => [`row writes ${schema}`, ...phases.map((phase) => per(phase.cost.rowWrites[schema] ?? 0, accepted(phase))), per(report.idle.cost.rowWrites[schema] ?? 0, idleSeconds)]),
        ...streams.map((stream) => [`messages stored ${stream}`, ...phases.map((phase) => per(phase.cost.published[stream] ?? 0, accepted(phase))), per(report.idle.cost.published[stream] ?? 0, idleSeconds)]),
        ['consumer deliveries (all)', ...phases.map((phase) => per(sum(phase.cost.deliveries), accepted(phase))), per(sum(report.idle.cost.deliveries), idleSeconds)],
        ['  of which redeliveries', ...phases.map((phase) => per(phase.cost.redeliveries, accepted(phase))), per(report.idle.cost.redeliveries, idleSeconds)],
        ['webhooks received', ...phases.map((phase) => per(sum(phase.webhooksByType), accepted(phase))), per(sum(report.idle.webhooksByType), idleSeconds)],
      ],
    ),
    '  transactions are per database (pg_stat_database, the bench\'s own probe queries taken out): Postgres does not count them per',
    '  connection, so the per-service split is row writes per schema (pg_stat_user_tables) and the CPU of each service\'s backends above',
  );
  const webhookTypes = [...new Set(phases.flatMap((phase) => Object.keys(phase.webhooksByType)))].sort();
  lines.push('', 'webhooks received by type', ...table(['type', ...phaseNames], webhookTypes.map((type) => [type.replace(/^watchfloor\./, ''), ...phases.map((phase) => String(phase.webhooksByType[type] ?? 0))])));
  return lines;
}

function tail(report: SystemReport): string[] {
  const lines = [
    '',
    `receiver     ${report.receiver.verified} webhooks verified, ${report.receiver.forged} refused (bad signature), ${report.receiver.duplicates} duplicates (same webhook-id)`,
    `logs         the system printed ${report.output.lines} lines (${(report.output.bytes / 1024 / 1024).toFixed(1)} MiB), read and discarded by the bench`,
  ];
  if (report.backlogSampleFailures > 0) lines.push(`probe        ${report.backlogSampleFailures} backlog samples failed`);
  if (report.profiles) {
    lines.push('', `CPU profiles (whole life of each process) in ${report.profiles.dir}`);
    for (const { service, file, summary } of report.profiles.services) {
      // Shares of the busy samples: a service idles most of its life.
      const idle = summary.selfByPackage.find(([name]) => name === '(idle)')?.[1] ?? 0;
      const busy = (entries: Array<[string, number]>, count: number) =>
        entries.filter(([name]) => name !== '(idle)').slice(0, count).map(([name, share]) => `${name} ${((100 * share) / Math.max(1e-9, 100 - idle)).toFixed(1)}%`).join(', ');
      lines.push(`  ${service}: ${file} (${summary.samples} samples over ${summary.durationS.toFixed(0)} s, ${(100 - idle).toFixed(0)}% busy; shares below are of the busy samples)`);
      lines.push(`    self by package:  ${busy(summary.selfByPackage, 6)}`);
      lines.push(`    self by function: ${busy(summary.selfByFunction, 4)}`);
    }
    if (report.profiles.services.length === 0) lines.push('  (no profile found for the services\' pids)');
  }
  return lines;
}

export function formatReport(report: SystemReport): string {
  return [...header(report), ...throughput(report), ...latencies(report), ...backlog(report), ...costs(report), ...tail(report), ''].join('\n');
}
