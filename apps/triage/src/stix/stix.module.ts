import { Module } from '@nestjs/common';
import { ClustersModule } from '../clusters/clusters.module';
import { IncidentsModule } from '../incidents/incidents.module';
import { ExportCluster } from './export-cluster.usecase';
import { ExportIncident } from './export-incident.usecase';
import { StixController } from './stix.controller';

/** STIX 2.1 export of incidents and campaigns (docs/triage.md, "STIX 2.1 export"). */
@Module({ imports: [IncidentsModule, ClustersModule], controllers: [StixController], providers: [ExportIncident, ExportCluster] })
export class StixModule {}
