import pino, { type DestinationStream, type Logger } from 'pino';
import { activeTraceIds } from '../tracing/trace-context';
import { redactSecrets } from './redaction';

/** Options of {@link createLogger}. */
export interface LoggerOptions {
  /** Service name, on every line. */
  service: string;
  /** pino level; default `info`. */
  level?: string;
  /** Where lines go; default stdout. Tests pass a stream to read them. */
  destination?: DestinationStream;
}

/**
 * A pino JSON logger with the service name on every line, ISO timestamps, level names,
 * `traceId` and `spanId` on lines written inside a span (tracing on), and
 * redaction of secrets and reporter contact data. Create one per process; classes take
 * `logger.child({ context: Class.name })` or use Nest's `Logger`, which goes to it.
 */
export function createLogger(options: LoggerOptions): Logger {
  return pino(
    {
      level: options.level ?? 'info',
      base: { service: options.service },
      timestamp: pino.stdTimeFunctions.isoTime,
      // With tracing off no span is ever active: one lookup of the root context per line.
      // A fresh object each time: pino merges the line's fields into what the mixin returns.
      mixin: () => activeTraceIds() ?? {},
      formatters: {
        level: (label) => ({ level: label }),
        // Every logged object and child binding passes through the redaction walk.
        log: (object) => redactSecrets(object),
        bindings: (bindings) => redactSecrets(bindings),
      },
    },
    options.destination ?? pino.destination({ sync: false }),
  );
}
