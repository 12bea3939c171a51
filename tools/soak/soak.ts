// `npm run soak -- --minutes M --rate R --faults N --seed S`: election day under fire. The
// whole system twice over on a three-server JetStream cluster, driven at R operations/s for M
// minutes while N faults drawn with seed S hit it; then a checker compares, incident by
// incident, what was attempted, accepted, triaged, notified and audited. Exit 0 only when every
// invariant holds.
import { CommandLine } from '../cli/command-line';
import { formatSoakReport } from './report';
import { FLOOR_ACK_MEAN_S, runSoak } from './run-soak';

const USAGE = `Usage: npm run soak -- [options]

Starts a Postgres server of its own (Debian's initdb on a free port), a 3-server nats-server
cluster on loopback and 2 processes of each service, drives them with election-day traffic
(new reports, repeats with the same Idempotency-Key, an automation's submissions and re-sends
with the same source reference, updates, triage actions), injects faults drawn with the seed
(kill -9 of a service process, of a nats-server, of all three; a Postgres restart and a
squeeze of its connections; SIGSTOP of a process past its ack wait; a partner webhook
answering 500, 429, then nothing; an SMTP server refusing with 451; a poison message; a
redelivered duplicate; a triage process's wall clock stepped minutes off), acknowledges what is still new, waits for quiet and checks that
nothing was lost or doubled. Prints the faults and the invariants; exit 0 only if all hold.

  --minutes <m>    minutes of load (10)
  --rate <r>       operations per second (200)
  --faults <n>     faults injected (25)
  --seed <s>       seed of the faults and the traffic (1)
  --drain <s>      longest wait for quiet after the load, seconds (600)
  --floor-ack <s>  mean seconds before the floor acknowledges an incident (45);
                   0: no floor, only the mix's random actions acknowledge (then
                   the escalations asked of triage grow all through the run)
  -h, --help       this text
`;

async function main(): Promise<void> {
  const cli = new CommandLine(USAGE);
  const { values } = cli.parse({
    args: process.argv.slice(2),
    strict: true,
    allowPositionals: false,
    options: {
      minutes: { type: 'string' },
      rate: { type: 'string' },
      faults: { type: 'string' },
      seed: { type: 'string' },
      drain: { type: 'string' },
      'floor-ack': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const minutes = Number(values.minutes ?? 10);
  if (!Number.isFinite(minutes) || minutes <= 0) cli.usage(`--minutes must be a number greater than 0, not ${values.minutes}`);
  const report = await runSoak({
    minutes,
    rate: cli.count('rate', values.rate, 200),
    faults: cli.count('faults', values.faults, 25),
    seed: cli.count('seed', values.seed, 1),
    drainS: cli.count('drain', values.drain, 600),
    floorAckMeanS: cli.count('floor-ack', values['floor-ack'], FLOOR_ACK_MEAN_S),
    log: (line) => process.stderr.write(`[soak] ${line}\n`),
  });
  process.stdout.write(formatSoakReport(report));
  process.exitCode = report.holds ? 0 : 1;
}

main().catch((error: unknown) => {
  process.stderr.write(`soak failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 3;
});
