import { Catch, type RpcExceptionFilter } from '@nestjs/common';
import { throwError, type Observable } from 'rxjs';

/**
 * Passes a handler's error to the JetStream transport unchanged. Without it Nest's default
 * RPC filter turns every non-`RpcException` into "Internal server error", and the dead
 * letter of a message that failed every delivery would not say why. Apply it to event
 * handler classes: `@UseFilters(JetStreamErrorsFilter)`.
 */
@Catch()
export class JetStreamErrorsFilter implements RpcExceptionFilter<unknown> {
  catch(exception: unknown): Observable<never> {
    return throwError(() => exception);
  }
}
