import pino from 'pino';

/** The slice of a pino logger this lib writes to; a service passes its own. */
export interface MessagingLogger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/** Used when a caller passes no logger (tests, tools): only what went wrong. Services pass their own. */
export function defaultLogger(component: string): MessagingLogger {
  return pino({ name: component, level: 'warn' });
}

/** A short description of an unknown thrown value, for logs and dead letters. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  if (typeof error === 'object' && error !== null && 'message' in error && typeof error.message === 'string') return error.message;
  return String(error);
}
