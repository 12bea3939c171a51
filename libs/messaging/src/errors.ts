import { RpcException } from '@nestjs/microservices';

/** What a {@link PermanentError} becomes after Nest's exception layer. */
export interface PermanentErrorShape {
  status: 'error';
  permanent: true;
  code: string;
  message: string;
}

/**
 * Thrown by an event handler for a failure that retrying cannot fix (the event refers to
 * something that can never exist, say): the message is terminated and dead-lettered at
 * once. Anything else a handler throws is taken as transient and retried with back-off.
 * It is an `RpcException` so that its meaning survives Nest's exception filters.
 */
export class PermanentError extends RpcException {
  constructor(
    message: string,
    readonly code = 'EVENT.PERMANENT_FAILURE',
  ) {
    super({ status: 'error', permanent: true, code, message } satisfies PermanentErrorShape);
    this.name = 'PermanentError';
  }
}

/** Whether a handler failure (as thrown, or as Nest's filters passed it on) is permanent. */
export function isPermanentFailure(error: unknown): boolean {
  if (error instanceof PermanentError) return true;
  return typeof error === 'object' && error !== null && 'permanent' in error && error.permanent === true;
}
