import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { readEventStream } from '../api/event-stream';
import { queryString } from '../api/http';
import { ApiProblem } from '../api/problem';
import type { QueueFilters } from '../api/triage';

/** Waits between reconnections: quick at first, then no more often than every 10 s. */
const RECONNECT_DELAYS_MS = [500, 1_000, 2_000, 5_000, 10_000];

export type StreamState = 'connecting' | 'live' | 'reconnecting' | 'refused';

/**
 * Keeps the queue query fresh from triage's `GET /v1/queue/events`: each event (and the
 * `ready` of every (re)connection, which covers what happened while away) makes the queue be
 * read again; the order stays the server's. Reconnects for ever, except when refused (4xx).
 */
export function useQueueStream(token: string, filters: QueueFilters): StreamState {
  const queryClient = useQueryClient();
  const [state, setState] = useState<StreamState>('connecting');
  const key = JSON.stringify(filters);
  useEffect(() => {
    const abort = new AbortController();
    const parsed = JSON.parse(key) as QueueFilters;
    const refresh = () => void queryClient.invalidateQueries({ queryKey: ['queue', parsed] });
    void (async () => {
      for (let attempt = 0; !abort.signal.aborted; attempt++) {
        try {
          await readEventStream('triage', `/v1/queue/events${queryString({ ...parsed })}`, token, (event) => {
            if (event.type === 'ready') {
              attempt = 0;
              setState('live');
            }
            refresh();
          }, abort.signal);
        } catch (error) {
          if (abort.signal.aborted) return;
          if (error instanceof ApiProblem && error.status < 500 && error.status !== 429) {
            setState('refused');
            return;
          }
        }
        if (abort.signal.aborted) return;
        setState('reconnecting');
        await new Promise((resolve) => setTimeout(resolve, RECONNECT_DELAYS_MS[Math.min(attempt, RECONNECT_DELAYS_MS.length - 1)]));
      }
    })();
    return () => abort.abort();
  }, [token, key, queryClient]);
  return state;
}
