import { type BeforeApplicationShutdown, Injectable } from '@nestjs/common';

/** A readiness check: resolves (to anything but `false`) when the dependency is usable. */
export type ReadinessCheck = () => Promise<unknown> | unknown;

/** Outcome of one readiness round. */
export interface ReadinessReport {
  ready: boolean;
  /** Check name -> `ok` or `failed`; reasons go to the log, not to the unauthenticated probe. */
  checks: Record<string, 'ok' | 'failed'>;
  /** Failure reason per failed check, for logging. */
  failures: Record<string, string>;
}

/** How long one check may take before it counts as failed. */
export const READINESS_CHECK_TIMEOUT_MS = 2_000;

/**
 * Where services register what must work before they take traffic (database, NATS, streams).
 * Register in `onModuleInit`: `registry.register('db', () => dataSource.query('select 1'))`.
 * A service that is shutting down is never ready, so the load balancer drains it first.
 */
@Injectable()
export class ReadinessRegistry implements BeforeApplicationShutdown {
  private readonly checks = new Map<string, { check: ReadinessCheck; timeoutMs: number }>();
  private shuttingDown = false;

  /** Adds (or replaces) the check called `name`; it fails if it takes longer than `timeoutMs`. */
  register(name: string, check: ReadinessCheck, timeoutMs = READINESS_CHECK_TIMEOUT_MS): void {
    this.checks.set(name, { check, timeoutMs });
  }

  /** Names of the registered checks. */
  names(): string[] {
    return [...this.checks.keys()];
  }

  /** Runs every check concurrently, each bounded by its timeout. */
  async check(): Promise<ReadinessReport> {
    const report: ReadinessReport = { ready: !this.shuttingDown, checks: {}, failures: {} };
    if (this.shuttingDown) report.failures['shutdown'] = 'shutting down';
    await Promise.all(
      [...this.checks].map(async ([name, { check, timeoutMs }]) => {
        const failure = await runCheck(check, timeoutMs);
        report.checks[name] = failure === undefined ? 'ok' : 'failed';
        if (failure !== undefined) {
          report.ready = false;
          report.failures[name] = failure;
        }
      }),
    );
    return report;
  }

  beforeApplicationShutdown(): void {
    this.shuttingDown = true;
  }
}

async function runCheck(check: ReadinessCheck, timeoutMs: number): Promise<string | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(`timed out after ${timeoutMs} ms`), timeoutMs);
  });
  const outcome = (async (): Promise<string | undefined> => {
    try {
      return (await check()) === false ? 'reported not ready' : undefined;
    } catch (error) {
      return error instanceof Error ? error.message : String(error);
    }
  })();
  try {
    return await Promise.race([outcome, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
