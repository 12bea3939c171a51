import { Inject, Injectable } from '@nestjs/common';
import type { Caller } from '@watchfloor/platform';
import { DataSource } from 'typeorm';
import { ClusterRepository } from '../clusters/cluster.repository';
import { IncidentRepository } from '../incidents/incident.repository';
import { incidentNotFound } from '../lifecycle/lifecycle.errors';
import { mayExport } from './export-access';
import { BundleBuilder, type StixBundle } from './stix-bundle';
import { addCampaign, addIncident } from './stix-objects';

/** `GET /v1/incidents/:id/stix`: one incident, its observables and its campaign, as a STIX 2.1 bundle. */
@Injectable()
export class ExportIncident {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(IncidentRepository) private readonly incidents: IncidentRepository,
    @Inject(ClusterRepository) private readonly clusters: ClusterRepository,
  ) {}

  async execute(caller: Caller, id: string): Promise<StixBundle> {
    const manager = this.dataSource.manager;
    const incident = await this.incidents.findById(manager, id);
    // Beyond the caller's clearance it does not exist for them (404, like every read).
    if (!incident || incident.version === 0 || !mayExport(caller, incident)) throw incidentNotFound(id);
    const bundle = new BundleBuilder();
    const stix = addIncident(bundle, incident);
    const cluster = incident.clusterId ? await this.clusters.findById(manager, incident.clusterId) : undefined;
    // The campaign only (a cluster that is not one is triage's working set, not a finding);
    // it is marked with the incident's label, the only one it is exported with here.
    if (cluster?.campaign) addCampaign(bundle, cluster, [{ incident, stix }], incident.tlp);
    return bundle.build();
  }
}
