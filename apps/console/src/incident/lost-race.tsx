import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { readIncident, type VersionedIncident } from '../api/triage';
import { actorWords, eventWords } from './timeline';

/** A change refused with 412: says who changed what since the version on screen, and offers a reload. */
export function LostRace({ stale, token, onReload }: { stale: VersionedIncident; token: string; onReload(): Promise<void> }) {
  const fresh = useQuery({ queryKey: ['incident-latest', stale.incident.id], queryFn: () => readIncident(token, stale.incident.id), staleTime: 0, gcTime: 0 });
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  const since = fresh.data?.incident.timeline.filter((entry) => entry.version > stale.incident.version) ?? [];
  return (
    <div role="alert" className="error-summary conflict">
      <h2 tabIndex={-1} ref={heading}>
        Someone else changed this incident first
      </h2>
      <p>Your change was not made: it was based on what you saw before their change.</p>
      {since.length > 0 && (
        <ul>
          {since.map((entry) => (
            <li key={`${entry.version}-${entry.type}`}>
              {eventWords(entry.type)} by {actorWords(entry.by)}
            </li>
          ))}
        </ul>
      )}
      <button type="button" className="primary" onClick={() => void onReload()}>
        Reload the incident
      </button>
    </div>
  );
}
