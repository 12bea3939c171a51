import { useQuery } from '@tanstack/react-query';
import { listCampaigns } from '../api/triage';
import { useSignedIn } from '../session/session-context';
import { ExerciseBadge } from '../ui/badges';
import { jurisdictionName } from '../ui/jurisdiction';
import { QueryState } from '../ui/query-state';
import { Link } from '../ui/router';
import { formatTime } from '../ui/time';
import { observableWords } from './observable-words';

/** Campaigns are rare and change when an incident arrives: read every 30 s and when the tab comes back. */
const CAMPAIGNS_REFRESH_MS = 30_000;

/** Campaigns: clusters of incidents across several jurisdictions, the most recently changed first. */
export function CampaignsPage() {
  const { token } = useSignedIn();
  const campaigns = useQuery({ queryKey: ['campaigns'], queryFn: () => listCampaigns(token), refetchInterval: CAMPAIGNS_REFRESH_MS });
  const items = campaigns.data?.items ?? [];
  return (
    <main id="main" tabIndex={-1} className="page">
      <h1>Campaigns</h1>
      <p className="lead">
        Incidents that share clues (a domain, an address, a phone number) across three or more jurisdictions: one actor, many places. The most
        recently grown first.
      </p>
      <QueryState isPending={campaigns.isPending} error={campaigns.error} what="campaigns" />
      {campaigns.data && items.length === 0 && <p>No campaign now.</p>}
      <ol className="cards" aria-label="Campaigns">
        {items.map((campaign) => (
          <li key={campaign.id} className="card campaign-card">
            <h2 className="card-title">
              <Link to={`/campaigns/${campaign.id}`}>
                {campaign.incidentIds.length} incidents across {campaign.jurisdictions.length} jurisdictions
              </Link>
            </h2>
            <p className="card-meta">
              <span className="badge campaign">Campaign</span> <ExerciseBadge exercise={campaign.exercise} />
            </p>
            <p className="card-facts">{campaign.jurisdictions.map(jurisdictionName).join('; ')}</p>
            <p className="card-facts">Shared: {observableWords(campaign.sharedObservables, 3)}</p>
            <p className="card-facts muted">
              Last grew {formatTime(campaign.updatedAt)} · first seen {formatTime(campaign.createdAt)}
            </p>
          </li>
        ))}
      </ol>
    </main>
  );
}
