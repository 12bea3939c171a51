import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CommandLine } from '../../cli/command-line';

/** Help text of `npm run bench:system`. */
export const USAGE = `Usage: npm run bench:system -- [options]

Starts the whole system (intake, triage, notification, audit) on its own ports, database and
NATS namespace, subscribes a signed-webhook receiver to every event, then measures: a closed
loop (accepted/s, HTTP p50/p99), open loops at fixed rates (HTTP and end-to-end latencies:
POST -> incident.triaged, -> signed webhook, -> audit entry), the backlog of every consumer
and outbox over time, and per service CPU ms, peak RSS, Postgres transactions and NATS
messages per incident. Everything it starts is stopped and removed at the end.

  --mode start|image     start: as \`npm start\` runs it (tools/stack/start.ts, default);
                         image: as the container image runs it (npm run build, then
                         node dist/main.js <service> with NODE_ENV=production and
                         the Dockerfile's NODE_OPTIONS, V8's heap bound; --node-args
                         come after them and win)
  --root <dir>           run the system of another checkout (e.g. a git worktree of an older
                         commit with node_modules linked); default: this repository
  --node-args "<args>"   extra node arguments for every service process, e.g.
                         "--cpu-prof --cpu-prof-dir=/tmp/prof" (profiles are summarised)
  --connections <n>      HTTP connections of the closed loop (and most of the open loop) (32)
  --duration <s>         closed-loop seconds measured (15)
  --warmup <s>           closed-loop seconds before measuring, not counted (3)
  --rates <r,r,...>      open-loop rates in incidents/s (200,500,1000)
  --rate-duration <s>    seconds per open-loop rate (30)
  --drain <s>            longest wait after each phase for its events, webhooks, audit
                         entries and an empty backlog (180)
  --settle <s>           idle seconds after each drain before the next phase, so Postgres'
                         statistics (flushed up to 10 s late) land in the right phase (10)
  --peer alertmanager    also measure Prometheus Alertmanager with the same closed loop
                         (while Watchfloor is idle) and print the ratio
  --port-base <n>        services on n+1..n+4 (5100)
  --bodies <n>           distinct submissions generated (2048)
  --seed <n>             seed of the submission generator (1)
  --skip-build           image mode: use the dist/ already built in the root
  --json                 the whole report as one JSON document on stdout (tables on stderr)
  -h, --help             this text

Triage's acknowledgement deadlines are those of the mode (npm start: emergency 60 s;
image: 5 min), so emergencies escalate during a long run as they would for a user; set
TRIAGE_ACK_DEADLINE_EMERGENCY_SECONDS in the environment to change it in start mode.
`;

export type Mode = 'start' | 'image';

/** What one run does. */
export interface SystemOptions {
  mode: Mode;
  root: string;
  nodeArgs: string[];
  connections: number;
  durationS: number;
  warmupS: number;
  rates: number[];
  rateDurationS: number;
  drainS: number;
  settleS: number;
  peer?: 'alertmanager';
  portBase: number;
  bodies: number;
  seed: number;
  skipBuild: boolean;
  json: boolean;
}

/** The hook tools/stack/start.ts reads for --node-args; an older checkout may not have it. */
export const SERVICE_NODE_ARGS_ENV = 'WATCHFLOOR_SERVICE_NODE_ARGS';

/**
 * Parses the command line; a mistake prints the usage and exits 2 (as every tool here).
 * `--node-args` is taken verbatim first: parseArgs refuses a value that starts with `--`.
 */
export function parseSystemOptions(argv: readonly string[], repoRoot: string): SystemOptions {
  const cli: CommandLine = new CommandLine(USAGE);
  const { rest, nodeArgs } = takeNodeArgs(argv, cli);
  const { values } = cli.parse({
    args: rest,
    strict: true,
    allowPositionals: false,
    options: {
      mode: { type: 'string' },
      root: { type: 'string' },
      connections: { type: 'string' },
      duration: { type: 'string' },
      warmup: { type: 'string' },
      rates: { type: 'string' },
      'rate-duration': { type: 'string' },
      drain: { type: 'string' },
      settle: { type: 'string' },
      peer: { type: 'string' },
      'port-base': { type: 'string' },
      bodies: { type: 'string' },
      seed: { type: 'string' },
      'skip-build': { type: 'boolean' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const mode = values.mode ?? 'start';
  if (mode !== 'start' && mode !== 'image') cli.usage(`--mode must be start or image, not ${mode}`);
  if (values.peer !== undefined && values.peer !== 'alertmanager') cli.usage(`--peer knows only alertmanager, not ${values.peer}`);
  if (values['skip-build'] && mode !== 'image') cli.usage('--skip-build goes with --mode image');
  const root = resolve(values.root ?? repoRoot);
  checkRoot(cli, root, mode, nodeArgs);
  const number = (name: string, raw: string | undefined, fallback: number, whole = false) => {
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!Number.isFinite(value) || value <= 0 || (whole && !Number.isInteger(value))) cli.usage(`--${name} must be a ${whole ? 'whole ' : ''}number greater than 0, not ${raw}`);
    return value;
  };
  const rates = (values.rates ?? '200,500,1000').split(',').map((rate) => number('rates', rate.trim(), 0));
  const portBase = number('port-base', values['port-base'], 5100, true);
  if (portBase > 65_530) cli.usage(`--port-base must leave room for four ports, not ${portBase}`);
  return {
    mode,
    root,
    nodeArgs,
    connections: number('connections', values.connections, 32, true),
    durationS: number('duration', values.duration, 15),
    warmupS: values.warmup === '0' ? 0 : number('warmup', values.warmup, 3),
    rates,
    rateDurationS: number('rate-duration', values['rate-duration'], 30),
    drainS: number('drain', values.drain, 180),
    settleS: values.settle === '0' ? 0 : number('settle', values.settle, 10),
    peer: values.peer === 'alertmanager' ? 'alertmanager' : undefined,
    portBase,
    bodies: number('bodies', values.bodies, 2048, true),
    seed: number('seed', values.seed, 1, true),
    skipBuild: values['skip-build'] ?? false,
    json: values.json ?? false,
  };
}

function takeNodeArgs(argv: readonly string[], cli: CommandLine): { rest: string[]; nodeArgs: string[] } {
  const rest: string[] = [];
  const nodeArgs: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg.startsWith('--node-args=')) nodeArgs.push(...split(arg.slice('--node-args='.length)));
    else if (arg === '--node-args') {
      const value = argv[++i];
      if (value === undefined) cli.usage('--node-args needs a value, e.g. --node-args "--cpu-prof --cpu-prof-dir=/tmp/prof"');
      nodeArgs.push(...split(value));
    } else rest.push(arg);
  }
  return { rest, nodeArgs };
}

const split = (value: string) => value.split(' ').filter(Boolean);

function checkRoot(cli: CommandLine, root: string, mode: Mode, nodeArgs: readonly string[]): void {
  if (!existsSync(join(root, 'package.json')) || !existsSync(join(root, 'apps'))) cli.usage(`--root ${root} is not a Watchfloor checkout (no package.json and apps/)`);
  if (!existsSync(join(root, 'node_modules'))) cli.usage(`--root ${root} has no node_modules (link this repository's: ln -s <repo>/node_modules ${root}/node_modules)`);
  const start = join(root, 'tools', 'stack', 'start.ts');
  if (mode === 'start' && !existsSync(start)) cli.usage(`--root ${root} has no tools/stack/start.ts; try --mode image`);
  if (mode === 'start' && nodeArgs.length > 0 && !readFileSync(start, 'utf8').includes(SERVICE_NODE_ARGS_ENV)) {
    cli.usage(`--node-args needs ${SERVICE_NODE_ARGS_ENV} in ${start} (older checkouts do not pass it on); use --mode image`);
  }
  if (mode === 'image' && !existsSync(join(root, 'tools', 'build', 'build.mjs'))) cli.usage(`--root ${root} has no tools/build/build.mjs (no image build to run)`);
}
