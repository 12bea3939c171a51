import { Inject, Injectable } from '@nestjs/common';
import type { Observable } from '@watchfloor/contracts';
import { type Caller, NotFoundError } from '@watchfloor/platform';
import { DataSource } from 'typeorm';
import { ClusterRepository, type ClusterView } from '../clusters/cluster.repository';
import type { TriageIncident } from '../incidents/incident.record';
import { IncidentRepository } from '../incidents/incident.repository';
import { labelsWithin, mayExport } from './export-access';
import { BundleBuilder, type StixBundle, type StixObject, strictest } from './stix-bundle';
import { addCampaign, addGrouping, addIncident, relationship, sharedIndicator } from './stix-objects';

/** At most this many incidents (the most recent) in one bundle: the bound the `incident.correlated` event keeps too. */
export const MAX_EXPORTED_INCIDENTS = 1000;

const clusterNotFound = (id: string) => new NotFoundError('CLUSTER.NOT_FOUND', `No cluster ${id}.`);

/** The shared observables at least two of the exported incidents report (the others would tell of incidents left out). */
function sharedAmong(cluster: ClusterView, members: readonly TriageIncident[]): Observable[] {
  const reportedBy = (o: { type: string; value: string }) =>
    members.filter((m) => m.submission.observables.some((mine) => mine.type === o.type && mine.value === o.value)).length;
  return cluster.sharedObservables.filter((o) => reportedBy(o) >= 2) as Observable[];
}

/**
 * `GET /v1/clusters/:id/stix`: a campaign (or a cluster not yet one) with the incidents the
 * caller may export, their observables and indicators of the observables they share. Incidents
 * beyond the caller's clearance are left out, with their observables, and nothing says they were.
 */
@Injectable()
export class ExportCluster {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(IncidentRepository) private readonly incidents: IncidentRepository,
    @Inject(ClusterRepository) private readonly clusters: ClusterRepository,
  ) {}

  async execute(caller: Caller, id: string): Promise<StixBundle> {
    const manager = this.dataSource.manager;
    const cluster = await this.clusters.findById(manager, id);
    if (!cluster) throw clusterNotFound(id);
    const candidates = await this.incidents.select(manager, {
      where: 'cluster_id = $1 AND tlp = ANY($2::text[])',
      orderBy: 'received_at DESC, id DESC',
      limit: MAX_EXPORTED_INCIDENTS,
      params: [cluster.id, labelsWithin(caller)],
    });
    const members = candidates.filter((incident) => mayExport(caller, incident));
    // A cluster of which the caller may see nothing does not exist for them.
    if (members.length === 0) throw clusterNotFound(id);

    // What is made of several incidents carries the strictest of their labels.
    const tlp = strictest(members.map((m) => m.tlp));
    const bundle = new BundleBuilder();
    const exported = members.map((incident) => ({ incident, stix: addIncident(bundle, incident) }));
    const indicators = sharedAmong(cluster, members)
      .map((observable) => sharedIndicator(cluster, observable, tlp))
      .filter((indicator): indicator is StixObject => indicator !== undefined);
    indicators.forEach((indicator) => bundle.add(indicator));
    if (cluster.campaign) {
      const campaign = addCampaign(bundle, cluster, exported, tlp);
      for (const indicator of indicators) bundle.add(relationship(indicator, 'indicates', campaign, new Date(String(indicator.created)), tlp));
    } else {
      addGrouping(bundle, cluster, [...exported.map((m) => m.stix), ...indicators], tlp);
    }
    return bundle.build();
  }
}
