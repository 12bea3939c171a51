import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { readQueue, type QueueFilters } from '../api/triage';
import { useSignedIn } from '../session/session-context';
import { ExerciseBadge, PriorityBadge, StatusBadge } from '../ui/badges';
import { jurisdictionName } from '../ui/jurisdiction';
import { CATEGORY_LABELS } from '../ui/labels';
import { QueryState } from '../ui/query-state';
import { Link } from '../ui/router';
import { formatTime } from '../ui/time';
import { Countdown } from './countdown';
import { QueueFilterBar } from './queue-filters';
import { useQueueStream, type StreamState } from './use-queue-stream';

/** How often the queue is read again besides its live stream: a safety net while live, the way to stay current when not. */
const REFRESH_WHEN_LIVE_MS = 30_000;
const REFRESH_WITHOUT_STREAM_MS = 5_000;

const STREAM_WORDS: Record<StreamState, string> = {
  connecting: 'Connecting…',
  live: 'Live: changes appear as they happen',
  reconnecting: `Reconnecting… (meanwhile read every ${REFRESH_WITHOUT_STREAM_MS / 1000} s)`,
  refused: `Live updates refused; read every ${REFRESH_WITHOUT_STREAM_MS / 1000} s`,
};

/** The live queue: open incidents, most dangerous first, then the nearest acknowledgement deadline. */
export function QueuePage() {
  const { token } = useSignedIn();
  const [filters, setFilters] = useState<QueueFilters>({});
  const stream = useQueueStream(token, filters);
  const queue = useQuery({
    queryKey: ['queue', filters],
    queryFn: () => readQueue(token, filters),
    refetchInterval: stream === 'live' ? REFRESH_WHEN_LIVE_MS : REFRESH_WITHOUT_STREAM_MS,
    refetchIntervalInBackground: true,
    placeholderData: keepPreviousData,
  });
  const items = queue.data?.items ?? [];
  return (
    <main id="main" tabIndex={-1} className="page">
      <h1>Queue</h1>
      <QueueFilterBar filters={filters} onChange={setFilters} />
      <p className="muted">
        <span className={`stream-state stream-${stream}`}>{STREAM_WORDS[stream]}</span>
        {queue.data ? ` · ${items.length} incident${items.length === 1 ? '' : 's'}` : ''}
        {queue.isError && queue.data ? ' · not updating: the last read failed, retrying' : ''}
      </p>
      <QueryState isPending={queue.isPending} error={queue.data ? null : queue.error} what="queue" />
      <ol className="cards queue" aria-label="Open incidents">
        {items.map((item) => (
          <li key={item.id} className={`card priority-edge-${item.priority}`}>
            <h2 className="card-title">
              <Link to={`/queue/${item.id}`}>{item.title}</Link>
            </h2>
            <p className="card-meta">
              <PriorityBadge level={item.priority} /> <StatusBadge status={item.status} /> <Countdown ackDeadline={item.ackDeadline} acknowledgedAt={item.acknowledgedAt} />
              {item.campaign && <span className="badge campaign">Campaign</span>} <ExerciseBadge exercise={item.exercise} />
            </p>
            <p className="card-facts">
              <span className="reference">{item.reference}</span> · {CATEGORY_LABELS[item.category]} · {jurisdictionName(item.jurisdiction)} · score{' '}
              {item.score.toFixed(1)} · {item.assignee ? `assigned to ${item.assignee}` : 'unassigned'} · received {formatTime(item.receivedAt)}
            </p>
          </li>
        ))}
      </ol>
    </main>
  );
}
