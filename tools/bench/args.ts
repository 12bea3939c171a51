import { parseArgs } from 'node:util';

/** Help text of `npm run bench`. */
export const USAGE = `Usage: npm run bench -- [options]

Drives POST /v1/incidents with varied valid submissions and reports accepted/s, HTTP
latency, errors by status and the outbox lag (201 -> incident.reported seen on JetStream).

  --duration <s>       measured seconds (default 20)
  --warmup <s>         seconds of load before measuring, not counted (default 3)
  --connections <n>    HTTP connections (default 64)
  --rate <req/s>       open loop at this rate (latency from the scheduled send time);
                       closed loop (autocannon) when absent
  --url <url>          a running intake on 127.0.0.1 instead of a spawned one
  --namespace <ns>     NATS namespace of that intake (default none: stream INCIDENTS)
  --nats <url>         NATS server of that intake (default NATS_URL or nats://127.0.0.1:4222)
  --env KEY=VALUE      extra environment for the spawned intake, e.g.
                       INTAKE_GROUP_COMMIT_MAX_BATCH=128 (repeatable)
  --cpu-prof <file>    profile the spawned intake over the measured window (.cpuprofile)
  --idempotency-keys   send a unique Idempotency-Key with every request
  --bodies <n>         distinct submissions generated (default 2048)
  --seed <n>           seed of the submission generator (default 1)
  --drain <s>          longest wait for outstanding events after the load (default 30)
`;

/** Bad command-line arguments (exit status 2). */
export class UsageError extends Error {}

/** What one benchmark run does. */
export interface BenchOptions {
  durationS: number;
  warmupS: number;
  connections: number;
  /** Open-loop target in requests per second; closed loop when undefined. */
  rate?: number;
  /** A running intake; a spawned one when undefined. */
  url?: string;
  namespace?: string;
  natsUrl: string;
  /** Extra environment for the spawned intake. */
  intakeEnv: Record<string, string>;
  cpuProfile?: string;
  idempotencyKeys: boolean;
  bodies: number;
  seed: number;
  drainS: number;
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);
// Only intake's own tuning knobs and the log level: the rest of the spawned intake's
// environment is the benchmark's to set (database, NATS, port, rate limit).
const PASS_THROUGH_ENV = /^(INTAKE_[A-Z0-9_]+|LOG_LEVEL)$/;

/** Parses and checks the arguments; `'help'` for `--help`. Throws {@link UsageError}. */
export function parseBenchArgs(argv: readonly string[], env: NodeJS.ProcessEnv): BenchOptions | 'help' {
  const values = parseRaw(argv);
  if (values.help) return 'help';
  const url = values.url === undefined ? undefined : loopbackUrl(values.url);
  if (url === undefined && values.namespace !== undefined) throw new UsageError('--namespace goes with --url (a spawned intake gets its own namespace).');
  if (url !== undefined && (values.env ?? []).length > 0) throw new UsageError('--env only applies to a spawned intake, not to --url.');
  if (url === undefined && values.nats !== undefined) throw new UsageError('--nats goes with --url (a spawned intake uses NATS_URL or the local server).');
  if (url !== undefined && values['cpu-prof'] !== undefined) throw new UsageError('--cpu-prof only applies to a spawned intake, not to --url.');
  return {
    durationS: positive('duration', values.duration, 20),
    warmupS: nonNegative('warmup', values.warmup, 3),
    connections: positiveInt('connections', values.connections, 64),
    rate: values.rate === undefined ? undefined : positive('rate', values.rate, 0),
    url,
    namespace: values.namespace,
    natsUrl: values.nats ?? env['NATS_URL'] ?? 'nats://127.0.0.1:4222',
    intakeEnv: parseEnvPairs(values.env ?? []),
    cpuProfile: values['cpu-prof'],
    idempotencyKeys: values['idempotency-keys'] ?? false,
    bodies: positiveInt('bodies', values.bodies, 2048),
    seed: positiveInt('seed', values.seed, 1),
    drainS: positive('drain', values.drain, 30),
  };
}

function parseRaw(argv: readonly string[]) {
  try {
    return parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        duration: { type: 'string' },
        warmup: { type: 'string' },
        connections: { type: 'string' },
        rate: { type: 'string' },
        url: { type: 'string' },
        namespace: { type: 'string' },
        nats: { type: 'string' },
        env: { type: 'string', multiple: true },
        'cpu-prof': { type: 'string' },
        'idempotency-keys': { type: 'boolean' },
        bodies: { type: 'string' },
        seed: { type: 'string' },
        drain: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }).values;
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

/** The benchmark only ever loads this machine: anything else is refused. */
function loopbackUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(`--url "${raw}" is not a URL.`);
  }
  if (url.protocol !== 'http:' || !LOOPBACK_HOSTS.has(url.hostname)) throw new UsageError('--url must be http:// on 127.0.0.1 (or localhost).');
  return url.origin;
}

function parseEnvPairs(pairs: readonly string[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    const key = eq < 0 ? pair : pair.slice(0, eq);
    if (eq < 0 || !PASS_THROUGH_ENV.test(key)) throw new UsageError(`--env "${pair}" must be INTAKE_*=value or LOG_LEVEL=value.`);
    env[key] = pair.slice(eq + 1);
  }
  return env;
}

function number(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value)) throw new UsageError(`--${name} "${raw}" is not a number.`);
  return value;
}

function positive(name: string, raw: string | undefined, fallback: number): number {
  const value = number(name, raw, fallback);
  if (value <= 0) throw new UsageError(`--${name} must be greater than 0.`);
  return value;
}

function nonNegative(name: string, raw: string | undefined, fallback: number): number {
  const value = number(name, raw, fallback);
  if (value < 0) throw new UsageError(`--${name} must not be negative.`);
  return value;
}

function positiveInt(name: string, raw: string | undefined, fallback: number): number {
  const value = positive(name, raw, fallback);
  if (!Number.isInteger(value)) throw new UsageError(`--${name} must be a whole number.`);
  return value;
}
