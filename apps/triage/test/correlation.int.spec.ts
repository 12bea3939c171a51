import type { Observable } from '@watchfloor/contracts';
import { expectEventually } from '@watchfloor/testing';
import { reportedEvent, updatedEvent } from './events';
import { json, startTriage, type StreamEvent, type TriageUnderTest } from './harness';

const county = (name: string) => `ocd-division/country:us/state:ga/county:${name}`;
const LURE: Observable = { type: 'domain', value: 'ga-sos-pollworker-verify.com' };
/** Phishing of poll workers: (6*20 + 2*10 + 4*20 + 5*70 + 4*40) / 21 = 34.76, low. */
const phishing = (jurisdiction: string, observables: Observable[] = [LURE]) => ({
  title: 'Poll workers phished with a fake SoS verification page',
  category: 'phishing' as const,
  jurisdiction,
  phase: 'early_voting' as const,
  affectedAssets: ['email_office_it' as const],
  impacts: { functionalImpact: 'no_impact_to_services' as const, informationImpact: 'suspected_not_identified' as const, recoverability: 'regular' as const, observedActivity: 'engage' as const, actor: 'criminal' as const },
  observables,
});

type Cluster = { id: string; campaign: boolean; jurisdictions: string[]; incidentIds: string[]; sharedObservables: Array<{ type: string; value: string }> };

describe('triage correlation: clusters and campaigns', () => {
  let triage: TriageUnderTest;
  let token: string;

  beforeAll(async () => {
    triage = await startTriage();
    token = await triage.token();
  });
  afterAll(async () => {
    await triage?.close();
  });

  const correlatedAbout = async (incidentId: string): Promise<StreamEvent[]> =>
    (await triage.events('watchfloor.incident.correlated.v1')).filter((e) => (e.data.incidentIds as string[]).includes(incidentId));

  it('a phishing wave across 3 counties becomes a campaign: every member rises a level, in the open', async () => {
    const lure = { type: 'url' as const, value: 'https://ga-sos-pollworker-verify.com/login' };
    const cobb = reportedEvent(phishing(county('cobb'), [lure]));
    const dekalb = reportedEvent(phishing(county('dekalb'), [{ type: 'url', value: 'HTTPS://GA-SOS-POLLWORKER-VERIFY.COM:443/login#x' }]));
    const fulton = reportedEvent(phishing(county('fulton'), [lure, { type: 'email', value: 'verify@ga-sos-pollworker-verify.com' }]));

    await triage.publish(cobb);
    const [cobbTriaged] = await triage.eventsAbout(cobb.data.incidentId, 'watchfloor.incident.triaged.v1');
    expect(cobbTriaged?.data).toMatchObject({ priority: 'low', score: 34.76, adjustments: [] });

    // Two counties: a cluster, not yet a campaign; levels unchanged.
    await triage.publish(dekalb);
    const [dekalbTriaged] = await triage.eventsAbout(dekalb.data.incidentId, 'watchfloor.incident.triaged.v1');
    expect(dekalbTriaged?.data).toMatchObject({ priority: 'low', adjustments: [] });
    const [pair] = await expectEventually(async () => {
      const found = await correlatedAbout(dekalb.data.incidentId);
      expect(found).toHaveLength(1);
      return found;
    });
    expect(pair?.data).toMatchObject({ campaign: false, version: 1, jurisdictions: [county('cobb'), county('dekalb')], sharedObservables: [{ type: 'url', value: 'https://ga-sos-pollworker-verify.com/login' }] });
    expect(dekalbTriaged?.data.clusterId).toBe(pair?.data.clusterId);

    // The third county makes it a campaign.
    await triage.publish(fulton);
    const [fultonTriaged] = await triage.eventsAbout(fulton.data.incidentId, 'watchfloor.incident.triaged.v1');
    expect(fultonTriaged?.data).toMatchObject({ priority: 'medium', score: 34.76, clusterId: pair?.data.clusterId });
    expect(fultonTriaged?.data.adjustments).toEqual([{ kind: 'campaign', from: 'low', to: 'medium', reason: expect.stringContaining('campaign') }]);
    const campaign = await expectEventually(async () => {
      const found = (await correlatedAbout(fulton.data.incidentId)).filter((e) => e.data.campaign === true);
      expect(found).toHaveLength(1);
      return found[0];
    });
    expect(campaign?.data).toMatchObject({ clusterId: pair?.data.clusterId, version: 2, jurisdictions: [county('cobb'), county('dekalb'), county('fulton')] });
    expect(new Set(campaign?.data.incidentIds as string[])).toEqual(new Set([cobb.data.incidentId, dekalb.data.incidentId, fulton.data.incidentId]));
    // One state: the subject keeps the state token.
    expect(campaign?.jurisdiction).toBe('ocd-division/country:us/state:ga');

    for (const earlier of [cobb, dekalb]) {
      const [raised, ...more] = await triage.eventsAbout(earlier.data.incidentId, 'watchfloor.incident.reprioritized.v1');
      expect(more).toHaveLength(0);
      expect(raised?.data).toMatchObject({ from: 'low', to: 'medium', by: { kind: 'system', rule: 'campaign' }, version: 2 });
    }
    const detail = await json<{ priority: string; campaign: boolean; scoring: { adjustments: Array<{ kind: string }> }; cluster: Cluster; timeline: Array<{ type: string }> }>(
      triage.request('GET', `/v1/incidents/${cobb.data.incidentId}`, { token }),
    );
    expect(detail).toMatchObject({ priority: 'medium', campaign: true, cluster: { campaign: true } });
    expect(detail.scoring.adjustments.map((a) => a.kind)).toEqual(['campaign']);
    // Joining the cluster and being raised for the campaign are on the incident's timeline.
    expect(detail.timeline.map((t) => t.type)).toEqual([
      'watchfloor.incident.reported.v1', 'watchfloor.incident.triaged.v1', 'watchfloor.incident.correlated.v1', 'watchfloor.incident.reprioritized.v1',
    ]);
    const metrics = await (await triage.request('GET', '/metrics')).text();
    expect(metrics).toMatch(/triage_correlations_total\{campaign="true",service="triage"\} [1-9]/);
    expect(metrics).toMatch(/triage_incidents_triaged_total\{priority="medium",service="triage"\} [1-9]/);

    const campaigns = await json<{ items: Cluster[] }>(triage.request('GET', '/v1/clusters?campaign=true', { token }));
    expect(campaigns.items.map((c) => c.id)).toContain(pair?.data.clusterId);
    const queue = await json<{ items: Array<{ id: string }> }>(triage.request('GET', '/v1/queue?campaign=true&jurisdiction=ocd-division/country:us/state:ga', { token }));
    expect(new Set(queue.items.map((i) => i.id))).toEqual(new Set([cobb.data.incidentId, dekalb.data.incidentId, fulton.data.incidentId]));

    // A fourth county joins the campaign: raised at once, the others are not raised again.
    const henry = reportedEvent(phishing(county('henry'), [lure]));
    await triage.publish(henry);
    const [henryTriaged] = await triage.eventsAbout(henry.data.incidentId, 'watchfloor.incident.triaged.v1');
    expect(henryTriaged?.data).toMatchObject({ priority: 'medium' });
    await triage.settled(4);
    expect(await triage.eventsAbout(cobb.data.incidentId, 'watchfloor.incident.reprioritized.v1')).toHaveLength(1);
  });

  it('reports arriving together that share an observable still end in one cluster', async () => {
    const shared = { type: 'ipv4' as const, value: '192.0.2.66' };
    const burst = ['bibb', 'chatham', 'clarke', 'dougherty', 'floyd', 'hall'].map((c) => reportedEvent(phishing(county(c), [shared])));
    await Promise.all(burst.map((event) => triage.publish(event)));
    const clusterIds = await expectEventually(async () => {
      const { rows } = await triage.sql.query<{ cluster_id: string | null }>('SELECT cluster_id FROM triage.incident WHERE id = ANY($1::uuid[])', [burst.map((e) => e.data.incidentId)]);
      expect(rows).toHaveLength(burst.length);
      expect(rows.every((r) => r.cluster_id !== null)).toBe(true);
      return new Set(rows.map((r) => r.cluster_id));
    }, { timeoutMs: 20_000 });
    expect(clusterIds.size).toBe(1);
    const [clusterId] = clusterIds;
    const cluster = await json<Cluster>(triage.request('GET', `/v1/clusters/${clusterId}`, { token }));
    expect(cluster).toMatchObject({ campaign: true, sharedObservables: [shared] });
    expect(cluster.incidentIds).toHaveLength(burst.length);
  });

  it('an incident linking two clusters merges them; an update adding an observable correlates too', async () => {
    const a = { type: 'domain' as const, value: 'cluster-a.example.com' };
    const b = { type: 'domain' as const, value: 'cluster-b.example.com' };
    const a1 = reportedEvent(phishing(county('lee'), [a]));
    const a2 = reportedEvent(phishing(county('lee'), [a]));
    const b1 = reportedEvent(phishing(county('lee'), [b]));
    const b2 = reportedEvent(phishing(county('lee'), [b]));
    for (const event of [a1, a2, b1, b2]) {
      await triage.publish(event);
      await triage.eventsAbout(event.data.incidentId, 'watchfloor.incident.triaged.v1');
    }
    const { rows: before } = await triage.sql.query<{ cluster_id: string }>('SELECT DISTINCT cluster_id FROM triage.incident WHERE id = ANY($1::uuid[])', [[a1, b1].map((e) => e.data.incidentId)]);
    expect(before).toHaveLength(2);
    const bridge = reportedEvent(phishing(county('lee'), []));
    await triage.publish(bridge);
    await triage.eventsAbout(bridge.data.incidentId, 'watchfloor.incident.triaged.v1');
    await triage.publish(updatedEvent(bridge, 2, { observables: [a, b] }));
    const merged = await expectEventually(async () => {
      const found = await correlatedAbout(bridge.data.incidentId);
      expect(found).toHaveLength(1);
      return found[0];
    });
    expect(new Set(merged?.data.incidentIds as string[])).toEqual(new Set([a1, a2, b1, b2, bridge].map((e) => e.data.incidentId)));
    // One jurisdiction: a cluster, never a campaign.
    expect(merged?.data.campaign).toBe(false);
    const { rows } = await triage.sql.query('SELECT count(DISTINCT cluster_id)::int AS n FROM triage.incident WHERE id = ANY($1::uuid[])', [[a1, a2, b1, b2, bridge].map((e) => e.data.incidentId)]);
    expect(rows[0]?.n).toBe(1);
    // The older cluster absorbs the other, which is gone.
    const { rows: left } = await triage.sql.query<{ id: string }>('SELECT id FROM triage.cluster WHERE id = ANY($1::uuid[])', [before.map((r) => r.cluster_id)]);
    expect(left.map((r) => r.id)).toEqual([merged?.data.clusterId]);
  });

  it('outside the window nothing correlates', async () => {
    const old = { type: 'md5' as const, value: 'd41d8cd98f00b204e9800998ecf8427e' };
    const longAgo = reportedEvent(phishing(county('ware'), [old]), { receivedAt: new Date(Date.now() - 8 * 24 * 3600_000) });
    const now = reportedEvent(phishing(county('ware'), [old]));
    await triage.publish(longAgo);
    await triage.eventsAbout(longAgo.data.incidentId, 'watchfloor.incident.triaged.v1');
    await triage.publish(now);
    const [triaged] = await triage.eventsAbout(now.data.incidentId, 'watchfloor.incident.triaged.v1');
    expect(triaged?.data.clusterId).toBeUndefined();
  });
});
