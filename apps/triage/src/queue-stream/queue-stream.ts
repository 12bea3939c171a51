import { Inject, Injectable, type MessageEvent } from '@nestjs/common';
import { type Caller, ROOT_LOGGER } from '@watchfloor/platform';
import type { Logger } from 'pino';
import { catchError, concatMap, EMPTY, from, interval, map, merge, of, takeUntil, timer, type Observable } from 'rxjs';
import { IncidentChangeFeed } from './incident-change-feed';
import { ReadQueueChanges } from './read-queue-changes.usecase';
import type { QueueStreamQuery } from './queue-stream.query';

/** A comment this often keeps proxies and load balancers from closing a quiet stream. */
export const KEEP_ALIVE_MS = 20_000;
/** A stream ends after this long, so its client reconnects and its token is checked again. */
export const STREAM_LIFETIME_MS = 10 * 60_000;

/** One caller's live queue: the feed's changes, re-read through that caller's filters. */
@Injectable()
export class QueueStream {
  private readonly logger: Logger;

  constructor(
    @Inject(IncidentChangeFeed) private readonly feed: IncidentChangeFeed,
    @Inject(ReadQueueChanges) private readonly readChanges: ReadQueueChanges,
    @Inject(ROOT_LOGGER) rootLogger: Logger,
  ) {
    this.logger = rootLogger.child({ context: QueueStream.name });
  }

  open(caller: Caller, query: QueueStreamQuery, options: { lifetimeMs?: number; keepAliveMs?: number } = {}): Observable<MessageEvent> {
    const changes = this.feed.batches.pipe(
      concatMap((ids) =>
        from(this.readChanges.execute(caller, query, ids)).pipe(
          concatMap(({ items, left }) =>
            from<MessageEvent[]>([...items.map((item) => ({ type: 'incident', data: item })), ...left.map((id) => ({ type: 'left', data: { id } }))]),
          ),
          // A failed read loses one batch, not the stream; the next change or reconnect catches up.
          catchError((error: Error) => {
            this.logger.warn({ err: error }, 'queue stream: could not read the changed incidents; the next change or reconnect catches up');
            return EMPTY;
          }),
        ),
      ),
    );
    const keepAlive = interval(options.keepAliveMs ?? KEEP_ALIVE_MS).pipe(map((): MessageEvent => ({ comment: 'keep-alive' })));
    return merge(of<MessageEvent>({ type: 'ready', data: {} }), changes, keepAlive).pipe(takeUntil(timer(options.lifetimeMs ?? STREAM_LIFETIME_MS)));
  }
}
