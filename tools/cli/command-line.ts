// What every operator command (outbox replay, integrity check, audit verify) does with its
// command line and environment: `--help` answered on stdout, a mistake refused with the usage
// and exit status 2, and the environment read the way the services read it.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { BaseEnv, ConfigError, loadConfig } from '@watchfloor/platform';

/** Exit status of a command given wrong arguments or a wrong environment. */
export const USAGE_ERROR = 2;

export class CommandLine {
  constructor(private readonly usageText: string) {}

  /** Prints `problem` and the usage, exits with {@link USAGE_ERROR}. */
  usage(problem: string): never {
    process.stderr.write(`${problem}\n${this.usageText}`);
    process.exit(USAGE_ERROR);
  }

  /** The parsed command line; `--help`/`-h` (which `config` must declare) prints the usage and exits 0. */
  parse<T extends ParseArgsConfig>(config: T): ReturnType<typeof parseArgs<T>> {
    let parsed: ReturnType<typeof parseArgs<T>>;
    try {
      parsed = parseArgs(config);
    } catch (error) {
      this.usage(error instanceof Error ? error.message : String(error));
    }
    if ((parsed.values as { help?: boolean }).help) {
      process.stdout.write(this.usageText);
      process.exit(0);
    }
    return parsed;
  }

  /** `--<name> <ISO 8601 time>`, or undefined when absent. */
  time(name: string, value: string | undefined): Date | undefined {
    if (value === undefined) return undefined;
    const time = new Date(value);
    if (Number.isNaN(time.getTime())) this.usage(`--${name} is not an ISO 8601 time: ${value}`);
    return time;
  }

  /** `--<name> <whole number>`, or `fallback` when absent. */
  count(name: string, value: string | undefined, fallback: number): number {
    if (value === undefined) return fallback;
    if (!/^\d+$/.test(value)) this.usage(`--${name} must be a whole number, not ${value}`);
    return Number(value);
  }

  /**
   * `DATABASE_URL`, `NATS_URL` (a list), `NATS_USER`/`NATS_PASS`/`NATS_TOKEN`, validated as
   * the services validate them, with their defaults: run inside a service's container, the
   * command uses that service's connections. A bad value is refused naming the variable.
   */
  environment(): BaseEnv {
    try {
      return loadConfig(BaseEnv, process.env);
    } catch (error) {
      if (error instanceof ConfigError) this.usage(error.message);
      throw error;
    }
  }
}
