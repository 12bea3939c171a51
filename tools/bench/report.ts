import type { BenchOptions } from './args';
import type { LoadOutcome } from './load';
import type { CpuReport, MachineInfo } from './machine';
import type { ProfileSummary } from './profile-summary';
import type { LatencyHistogram, MeasuredResponses, OutboxLag } from './recorder';

/** Everything one run prints. */
export interface RunReport {
  startedAt: Date;
  machine: MachineInfo;
  loadAverageAfter: readonly number[];
  options: BenchOptions;
  command: string;
  intake: string;
  bodies: { count: number; meanBytes: number };
  outcome: LoadOutcome;
  measured: MeasuredResponses;
  lag: OutboxLag;
  drainedInS: number;
  cpu?: CpuReport;
  /** Transactions the intake database committed in the measured window (spawned intake only). */
  commits?: number;
  profile?: { file: string; summary: ProfileSummary };
}

const ms = (value: number) => `${value < 10 ? value.toFixed(2) : value.toFixed(1)} ms`;
const loads = (values: readonly number[]) => values.map((value) => value.toFixed(2)).join(' ');
const percentiles = (histogram: LatencyHistogram) =>
  `p50 ${ms(histogram.percentile(50))}  p90 ${ms(histogram.percentile(90))}  p99 ${ms(histogram.percentile(99))}  max ${ms(histogram.maxMs)}  (n=${histogram.count})`;

function loadMode(options: BenchOptions): string {
  return options.rate === undefined
    ? `closed loop (autocannon), ${options.connections} connections`
    : `open loop at ${options.rate} req/s over at most ${options.connections} connections (latency from the scheduled send time)`;
}

function header(report: RunReport): string[] {
  const { machine, options } = report;
  return [
    'Watchfloor intake benchmark: POST /v1/incidents',
    `date         ${report.startedAt.toISOString()}`,
    `machine      ${machine.cpuModel}, ${machine.cores} cores, ${machine.ramGiB.toFixed(1)} GiB RAM, ${machine.osRelease}`,
    `node         ${machine.node}`,
    `load avg     ${loads(machine.loadAverage)} before, ${loads(report.loadAverageAfter)} after (1/5/15 min; the machine is shared)`,
    `command      ${report.command}`,
    `target       ${report.intake}`,
    `load         ${loadMode(options)}; warm-up ${options.warmupS} s (not counted), measured ${options.durationS} s`,
    `bodies       ${report.bodies.count} distinct valid submissions (seed ${options.seed}, mean ${Math.round(report.bodies.meanBytes)} B): 18 categories, counties of 7 states, observables, assets, reporters; national-scope official token${options.idempotencyKeys ? '; unique Idempotency-Key per request' : ''}`,
  ];
}

function results(report: RunReport): string[] {
  const { measured, outcome, lag } = report;
  const seconds = outcome.elapsedMs / 1000;
  const rejected = [...measured.rejected].map(([status, count]) => `${status}: ${count}`).join(', ') || 'none';
  const lines = [
    '',
    `results over the measured window (${seconds.toFixed(1)} s)`,
    `  accepted (201)      ${measured.accepted} = ${(measured.accepted / seconds).toFixed(0)} /s`,
    `  non-201 by status   ${rejected}`,
    `  transport errors    ${outcome.errors} connection errors, ${outcome.timeouts} timeouts${outcome.notSent ? `, ${outcome.notSent} not sent (open-loop backlog full)` : ''}`,
    `  HTTP latency        ${percentiles(measured.latency)}`,
    `  outbox lag          ${percentiles(lag.histogram)}`,
    '                      201 received -> incident.reported received by the bench\'s JetStream consumer',
    '                      (PubAck approximated: includes JetStream delivery to the consumer)',
    `                      ${lag.eventsBefore201} events arrived before their 201 (counted as 0 ms); ${lag.missing} missing after ${report.drainedInS.toFixed(1)} s drain; ${lag.unmatchedEvents} events without a recorded 201 (in flight when a load phase stopped)`,
  ];
  if (report.commits !== undefined && report.commits > 0) {
    lines.push(`  Postgres commits    ${report.commits} = ${(report.commits / seconds).toFixed(0)} /s, ${(measured.accepted / report.commits).toFixed(1)} incidents per commit (relay batches counted too)`);
  }
  for (const [status, sample] of measured.rejectionSamples) lines.push(`  first ${status} body  ${sample}`);
  return lines;
}

function cpu(report: RunReport): string[] {
  if (!report.cpu) return [];
  const { cpu, machine } = report;
  const groups = cpu.groups.map(({ name, percent }) => `${name} ${percent.toFixed(0)}%`).join(', ');
  const accounted = cpu.groups.reduce((sum, group) => sum + group.percent, cpu.bench);
  const lines = [
    `  CPU (% of one core) ${groups}, bench (load generator + consumer) ${cpu.bench.toFixed(0)}%`,
    `                      machine busy ${cpu.machineBusy.toFixed(0)}% of ${machine.cores * 100}%; not listed above (other work on the machine, Postgres background processes) ${Math.max(0, cpu.machineBusy - accounted).toFixed(0)}%`,
  ];
  // CPU time per accepted incident does not depend on how much of the machine others took,
  // so it is the figure to compare between runs on a shared machine.
  const perIncident = perIncidentCpu(report);
  if (perIncident.length > 0) {
    lines.push(`  CPU per incident    ${perIncident.map(({ name, us }) => `${name} ${us.toFixed(0)} µs`).join(', ')}`);
    const intake = perIncident.find(({ name }) => name === 'intake');
    if (intake) lines.push(`                      => one intake process on a core of its own: ~${(1e6 / intake.us).toFixed(0)} incidents/s (Node runs intake's JS on one thread)`);
  }
  return lines;
}

function perIncidentCpu(report: RunReport): Array<{ name: string; us: number }> {
  const { cpu, measured, outcome } = report;
  if (!cpu || measured.accepted === 0) return [];
  const coreUs = (percent: number) => (percent / 100) * outcome.elapsedMs * 1000;
  return [...cpu.groups, { name: 'bench', percent: cpu.bench }].map(({ name, percent }) => ({ name, us: coreUs(percent) / measured.accepted }));
}

function profile(report: RunReport): string[] {
  if (!report.profile) return [];
  const { file, summary } = report.profile;
  const list = (entries: Array<[string, number]>) => entries.map(([name, percent]) => `    ${percent.toFixed(1).padStart(5)}%  ${name}`);
  return [
    '',
    `intake CPU profile of the measured window: ${file} (${summary.samples} samples over ${summary.durationS.toFixed(1)} s)`,
    '  self time by package:',
    ...list(summary.selfByPackage),
    '  inclusive time by package (package anywhere on the stack):',
    ...list(summary.inclusiveByPackage),
    '  self time by function:',
    ...list(summary.selfByFunction),
  ];
}

/** A Markdown table row for docs/BENCHMARKS.md. */
function markdownRow(report: RunReport): string {
  const { options, measured, lag, outcome } = report;
  const seconds = outcome.elapsedMs / 1000;
  const mode = options.rate === undefined ? `closed, ${options.connections} conn` : `open ${options.rate}/s, ${options.connections} conn`;
  const knobs = Object.entries(options.intakeEnv).map(([key, value]) => `${key.replace(/^INTAKE_GROUP_COMMIT_/, '')}=${value}`).join(' ') || 'defaults';
  const errors = [...measured.rejected].reduce((sum, [, count]) => sum + count, outcome.errors + outcome.timeouts + outcome.notSent);
  const intakeCpu = report.cpu?.groups.find((group) => group.name === 'intake')?.percent;
  const cells = [
    mode,
    knobs,
    (measured.accepted / seconds).toFixed(0),
    measured.latency.percentile(50).toFixed(1),
    measured.latency.percentile(99).toFixed(1),
    String(errors),
    lag.histogram.percentile(50).toFixed(1),
    lag.histogram.percentile(99).toFixed(1),
    intakeCpu === undefined ? 'n/a' : `${intakeCpu.toFixed(0)}%`,
    report.cpu ? `${report.cpu.machineBusy.toFixed(0)}%` : 'n/a',
  ];
  return `| ${cells.join(' | ')} |`;
}

/** The human-readable report, ending with a Markdown row. */
export function formatReport(report: RunReport): string {
  return [
    ...header(report),
    ...results(report),
    ...cpu(report),
    ...profile(report),
    '',
    'markdown     | load | intake knobs | accepted/s | HTTP p50 ms | HTTP p99 ms | errors | lag p50 ms | lag p99 ms | intake CPU | machine busy |',
    `markdown     ${markdownRow(report)}`,
    '',
  ].join('\n');
}
