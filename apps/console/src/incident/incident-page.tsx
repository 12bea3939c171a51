import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { readIncident, type VersionedIncident } from '../api/triage';
import { Countdown } from '../queue/countdown';
import { useSignedIn } from '../session/session-context';
import { ExerciseBadge, PriorityBadge, StatusBadge } from '../ui/badges';
import { jurisdictionName } from '../ui/jurisdiction';
import { ASSET_LABELS, CATEGORY_LABELS, OBSERVABLE_LABELS, RESOLUTION_LABELS } from '../ui/labels';
import { QueryState } from '../ui/query-state';
import { Link } from '../ui/router';
import { IncidentActions } from './incident-actions';
import { LostRace } from './lost-race';
import { ScoreExplanation } from './score-explanation';
import { Timeline } from './timeline';

/** Everything triage knows about one incident, and the actions on it. */
export function IncidentPage({ id }: { id: string }) {
  const { token } = useSignedIn();
  const queryClient = useQueryClient();
  const key = ['incident', id];
  const read = useQuery({ queryKey: key, queryFn: () => readIncident(token, id) });
  // The version the officer was looking at when another change won the race (412).
  const [lostOn, setLostOn] = useState<VersionedIncident>();
  const refresh = async () => {
    await Promise.all([queryClient.invalidateQueries({ queryKey: key }), queryClient.invalidateQueries({ queryKey: ['queue'] })]);
  };
  const incident = read.data?.incident;
  return (
    <main id="main" tabIndex={-1} className="page">
      <p>
        <Link to="/queue">← Back to the queue</Link>
      </p>
      <QueryState isPending={read.isPending} error={read.error} what="incident" />
      {incident && read.data && (
        <>
          <h1>{incident.title}</h1>
          <p className="card-meta">
            <PriorityBadge level={incident.priority} /> <StatusBadge status={incident.status} />{' '}
            <Countdown ackDeadline={incident.ackDeadline} acknowledgedAt={incident.acknowledgedAt} />
            {incident.resolution && <span className="badge">{RESOLUTION_LABELS[incident.resolution]}</span>} <ExerciseBadge exercise={incident.exercise} />
          </p>
          <p className="card-facts">
            <span className="reference">{incident.reference}</span> · {CATEGORY_LABELS[incident.category]} · {jurisdictionName(incident.jurisdiction)} ·
            TLP:{incident.tlp.toUpperCase()} · {incident.assignee ? `assigned to ${incident.assignee}` : 'unassigned'}
          </p>
          {lostOn && (
            <LostRace
              stale={lostOn}
              token={token}
              onReload={async () => {
                setLostOn(undefined);
                await refresh();
              }}
            />
          )}
          <div className="columns">
            <div>
              <section aria-labelledby="what-title" className="panel">
                <h2 id="what-title">What was reported</h2>
                <p className="pre">{incident.submission.description}</p>
                {incident.submission.affectedAssets.length > 0 && (
                  <p>Affected: {incident.submission.affectedAssets.map((asset) => ASSET_LABELS[asset]).join(', ')}</p>
                )}
                <p>
                  Reported by {incident.submission.reporter.name}
                  {incident.submission.reporter.title ? `, ${incident.submission.reporter.title}` : ''}
                </p>
                {incident.submission.observables.length > 0 && (
                  <>
                    <h3>Observables</h3>
                    <ul>
                      {incident.submission.observables.map((o) => (
                        <li key={`${o.type}:${o.value}`}>
                          {OBSERVABLE_LABELS[o.type]}: <code>{o.value}</code>
                        </li>
                      ))}
                    </ul>
                  </>
                )}
                {incident.cluster && (
                  <p>
                    {incident.cluster.campaign ? 'Part of a campaign' : 'Related to other incidents'} across{' '}
                    {incident.cluster.jurisdictions.map(jurisdictionName).join('; ')} ({incident.cluster.incidentIds.length} incidents).{' '}
                    <Link to={`/campaigns/${incident.cluster.id}`}>{incident.cluster.campaign ? 'See the campaign' : 'See the related incidents'}</Link>
                  </p>
                )}
                <p>
                  <Link to={`/audit/incidents/${incident.id}`}>The audit record of this incident</Link>
                </p>
              </section>
              <ScoreExplanation incident={incident} />
            </div>
            <div>
              <IncidentActions incident={incident} version={read.data.version} onChanged={refresh} onConflict={() => setLostOn(read.data)} />
              <Timeline incident={incident} />
            </div>
          </div>
        </>
      )}
    </main>
  );
}
