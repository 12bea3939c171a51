import { useQueries, useQuery } from '@tanstack/react-query';
import { readCluster, readIncident } from '../api/triage';
import { useSignedIn } from '../session/session-context';
import { ExerciseBadge, PriorityBadge, StatusBadge } from '../ui/badges';
import { jurisdictionName } from '../ui/jurisdiction';
import { CATEGORY_LABELS, OBSERVABLE_LABELS } from '../ui/labels';
import { QueryState } from '../ui/query-state';
import { Link } from '../ui/router';
import { formatTime, shortId } from '../ui/time';

/** Members read one by one (the cluster names ids only); a campaign larger than this lists the rest by id. */
const MEMBERS_READ = 50;

/** One campaign (or cluster): its jurisdictions, the clues its incidents share, and the incidents, each linked. */
export function CampaignPage({ id }: { id: string }) {
  const { token } = useSignedIn();
  const cluster = useQuery({ queryKey: ['cluster', id], queryFn: () => readCluster(token, id) });
  const memberIds = cluster.data?.incidentIds ?? [];
  const members = useQueries({
    queries: memberIds.slice(0, MEMBERS_READ).map((incidentId) => ({ queryKey: ['incident', incidentId], queryFn: () => readIncident(token, incidentId) })),
  });
  const data = cluster.data;
  return (
    <main id="main" tabIndex={-1} className="page">
      <p>
        <Link to="/campaigns">← Back to the campaigns</Link>
      </p>
      <QueryState isPending={cluster.isPending} error={cluster.error} what="campaign" />
      {data && (
        <>
          <h1>
            {data.campaign ? 'Campaign' : 'Related incidents'} across {data.jurisdictions.length} jurisdictions
          </h1>
          <p className="card-meta">
            {data.campaign && <span className="badge campaign">Campaign</span>} <ExerciseBadge exercise={data.exercise} />
            <span className="muted">
              first seen {formatTime(data.createdAt)} · last grew {formatTime(data.updatedAt)}
            </span>
          </p>
          <div className="columns">
            <section className="panel" aria-labelledby="members-title">
              <h2 id="members-title">{data.incidentIds.length} incidents</h2>
              <ol className="cards" aria-label="Incidents of the campaign">
                {memberIds.map((incidentId, index) => {
                  const incident = members[index]?.data?.incident;
                  return (
                    <li key={incidentId} className="card">
                      <h3 className="card-title">
                        <Link to={`/queue/${incidentId}`}>{incident?.title ?? `Incident ${shortId(incidentId)}`}</Link>
                      </h3>
                      {incident && (
                        <>
                          <p className="card-meta">
                            <PriorityBadge level={incident.priority} /> <StatusBadge status={incident.status} />
                          </p>
                          <p className="card-facts">
                            <span className="reference">{incident.reference}</span> · {CATEGORY_LABELS[incident.category]} · {jurisdictionName(incident.jurisdiction)} ·
                            received {formatTime(incident.receivedAt)}
                          </p>
                        </>
                      )}
                    </li>
                  );
                })}
              </ol>
            </section>
            <div>
              <section className="panel" aria-labelledby="jurisdictions-title">
                <h2 id="jurisdictions-title">Jurisdictions</h2>
                <ul>
                  {data.jurisdictions.map((jurisdiction) => (
                    <li key={jurisdiction}>{jurisdictionName(jurisdiction)}</li>
                  ))}
                </ul>
              </section>
              <section className="panel" aria-labelledby="shared-title">
                <h2 id="shared-title">Shared clues</h2>
                <ul>
                  {data.sharedObservables.map(({ type, value }) => (
                    <li key={`${type}:${value}`}>
                      {type in OBSERVABLE_LABELS ? OBSERVABLE_LABELS[type as keyof typeof OBSERVABLE_LABELS] : type}: <code>{value}</code>
                    </li>
                  ))}
                </ul>
              </section>
            </div>
          </div>
        </>
      )}
    </main>
  );
}
