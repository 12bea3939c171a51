// Reconciliation (ARCHITECTURE.md): does every consumer hold every event its producers
// published? A broker that crashed before its fsync can lose acknowledged messages; this
// finds them (outbox vs inbox / audit chain, all in Postgres) and prints the replay that
// repairs them.
//
//   npm run integrity -- [--since <ISO time>] [--until <ISO time>] [--grace <seconds>] [--samples <n>]
//
// DATABASE_URL must reach the one database holding the intake, triage, notification and
// audit schemas, as a role that may SELECT from their outbox, inbox and audit.entry tables
// (the superuser, or a read-only role granted USAGE on the schemas and SELECT on the tables).
// Exit: 0 consistent, 1 events missing or outbox rows stuck, 2 bad arguments, 3 the check could not run.
import { Client } from 'pg';
import { CommandLine } from '../cli/command-line';
import { compareStages, type IntegrityReport, type MissingEvent } from './compare';

const HOUR_MS = 60 * 60 * 1000;
const DEFAULT_GRACE_SECONDS = 60;

const USAGE = `usage: npm run integrity -- [--since <ISO time>] [--until <ISO time>] [--grace <seconds>] [--samples <n>]
   or: node /app/dist/main.js integrity ... (in the container image)

Checks that every published outbox event created in [since, until) is held by each of its
consumers (triage, intake, notification: their inbox; audit: its chain), and that no outbox
row older than the window's end is still unpublished (a stuck relay).

  --since    start of the window (default: 24 hours ago)
  --until    end of the window (default: now minus the grace)
  --grace    seconds allowed for events in flight (default ${DEFAULT_GRACE_SECONDS}); ignored with --until
  --samples  missing event ids listed per producer -> consumer (default 5)

Reads DATABASE_URL (a role that can read the four service schemas). Outbox rows are deleted
7 days after publication, so a window older than that checks nothing.
Exit status: 0 consistent, 1 something is missing or stuck, 2 bad arguments, 3 the check failed.
`;

interface CheckArgs {
  since: Date;
  until: Date;
  samples: number;
}

// Typed, so that TypeScript knows `cli.usage(...)` does not return.
const cli: CommandLine = new CommandLine(USAGE);

function readArgs(): CheckArgs {
  const { values } = cli.parse({
    options: {
      since: { type: 'string' },
      until: { type: 'string' },
      grace: { type: 'string' },
      samples: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const now = Date.now();
  const grace = cli.count('grace', values.grace, DEFAULT_GRACE_SECONDS);
  const until = cli.time('until', values.until) ?? new Date(now - grace * 1000);
  const since = cli.time('since', values.since) ?? new Date(now - 24 * HOUR_MS);
  if (since.getTime() >= until.getTime()) cli.usage(`the window is empty: --since ${since.toISOString()} is not before --until ${until.toISOString()}`);
  return { since, until, samples: cli.count('samples', values.samples, 5) };
}

function describe(event: MissingEvent): string {
  return `    ${event.eventId}  ${event.type}  ${event.createdAt.toISOString()}`;
}

/** The report as an operator reads it. */
export function formatReport(report: IntegrityReport): string {
  const lines = [`Outbox events created in [${report.since.toISOString()}, ${report.until.toISOString()})`, ''];
  const rows = report.routes.map((route) => [`${route.producer} -> ${route.consumer}`, String(route.checked), String(route.missing)]);
  const header = ['producer -> consumer', 'checked', 'missing'];
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => (row[i] as string).length)));
  for (const row of [header, ...rows]) {
    lines.push(row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] as number) : cell.padStart(widths[i] as number))).join('  '));
  }
  for (const route of report.routes.filter((r) => r.missing > 0)) {
    lines.push('', `${route.producer} -> ${route.consumer}: ${route.missing} missing; the first:`, ...route.firstMissing.map(describe));
  }
  for (const stuck of report.stuck) {
    lines.push('', `${stuck.producer}: ${stuck.unpublished} outbox row(s) never published (is its relay running?); the first:`, ...stuck.firstUnpublished.map(describe));
  }
  if (report.repairs.length > 0) {
    lines.push('', 'Repair (re-publishes; consumers drop what they already have):');
    for (const repair of report.repairs) lines.push(`  npm run outbox:replay -- --schema ${repair.producer} --since ${repair.since.toISOString()}`);
  }
  lines.push('', report.consistent ? 'Consistent: every consumer holds every event.' : 'NOT consistent.');
  return `${lines.join('\n')}\n`;
}

async function main(): Promise<void> {
  const args = readArgs();
  const client = new Client({ connectionString: cli.environment().DATABASE_URL, application_name: 'integrity-check' });
  let report: IntegrityReport;
  try {
    await client.connect();
    // Read only, and one snapshot for all the queries: the stages are compared at one instant.
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    report = await compareStages(client, { since: args.since, until: args.until, sampleSize: args.samples });
    await client.query('COMMIT');
  } catch (error) {
    process.stderr.write(`integrity check failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(3);
  } finally {
    await client.end().catch(() => undefined);
  }
  process.stdout.write(formatReport(report));
  process.exitCode = report.consistent ? 0 : 1;
}

// Run as a script: by npm, or by the image's launcher (which requires this file).
void main();
