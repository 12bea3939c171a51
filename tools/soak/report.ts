import type { SoakReport } from './run-soak';

/** The soak's report: the faults with their times and targets, the traffic, the invariants. */
export function formatSoakReport(report: SoakReport): string {
  const { options, ledger } = report;
  const lines = [
    `Watchfloor soak: ${options.minutes} min at ${options.rate}/s, ${options.faults} faults, seed ${options.seed}, the floor acknowledging in ${options.floorAckMeanS} s on average`,
    '',
    'faults',
    ...report.faults.map((f, i) => `  ${String(i + 1).padStart(2)}  ${f.at.toFixed(1).padStart(7)} s  ${f.kind.padEnd(17)} ${f.target} (${f.lasted} s)`),
    '',
    'traffic',
    `  submissions attempted ${ledger.submissions.size}, answered ${[...ledger.submissions.values()].filter((s) => s.incidentId).length}; updates answered ${ledger.updates.length} (${ledger.updatesInDoubt} in doubt)`,
    `  answers: ${[...ledger.answers].sort().map(([answer, n]) => `${answer} x${n}`).join(', ')}; not sent (64 in flight) ${ledger.notSent}`,
    `  triage actions: ${[...ledger.actions].sort().map(([answer, n]) => `${answer} x${n}`).join(', ')}`,
    ...(report.triageLag
      ? [
          `  report -> triaged (intake's commit to triage's): p50 ${report.triageLag.p50S} s, p99 ${report.triageLag.p99S} s, max ${report.triageLag.maxS} s;` +
            ` p99 by minute of the load: ${report.triageLag.p99ByMinuteS.join(', ')} s`,
        ]
      : []),
    ...(report.serverFaults.size > 0
      ? ['', 'requests the services logged as failed (5xx)', ...[...report.serverFaults].sort((a, b) => b[1] - a[1]).map(([fault, n]) => `  ${String(n).padStart(5)}  ${fault}`)]
      : []),
    '',
    'invariants',
    ...report.invariants.flatMap((inv) => [
      `  ${inv.broken === 0 ? 'ok  ' : 'FAIL'}  ${inv.name}: ${inv.checked} checked, ${inv.broken} broken`,
      ...inv.examples.map((example) => `          ${example}`),
    ]),
    ...(report.replayed.length > 0
      ? ['', `integrity: a tail was missing; replayed ${report.replayed.map((r) => `${r.rows} outbox rows of ${r.producer} since ${r.since.toISOString()}`).join(', ')}`]
      : []),
    '',
    report.drainedAfterLoadS === undefined
      ? `NOT quiet within ${options.drainS} s of the load`
      : `quiet ${report.drainedAfterFaultS} s after the last fault ended, ${report.drainedAfterLoadS} s after the load`,
    report.holds ? 'Every invariant holds.' : 'BROKEN: see above.',
  ];
  return `${lines.join('\n')}\n`;
}
