import { Controller, Get, Inject, Param, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { type Caller, CurrentCaller, Roles } from '@watchfloor/platform';
import type { FastifyReply } from 'fastify';
import { EXPORT_ROLES } from './export-access';
import { ExportCluster } from './export-cluster.usecase';
import { ExportIncident } from './export-incident.usecase';
import { STIX_MEDIA_TYPE, type StixBundle } from './stix-bundle';

/** STIX 2.1 bundles for partners' and staff's threat-intelligence tools, within each caller's clearance. */
@ApiTags('stix')
@ApiBearerAuth('bearer')
@Controller('v1')
export class StixController {
  constructor(
    @Inject(ExportIncident) private readonly exportIncident: ExportIncident,
    @Inject(ExportCluster) private readonly exportCluster: ExportCluster,
  ) {}

  @Get('incidents/:id/stix')
  @Roles(...EXPORT_ROLES)
  @ApiProduces(STIX_MEDIA_TYPE)
  @ApiOperation({ summary: "An incident as a STIX 2.1 bundle: the incident, its observables, its campaign, TLP markings; 404 beyond the caller's clearance" })
  async incident(@CurrentCaller() caller: Caller, @Param('id') id: string, @Res({ passthrough: true }) reply: FastifyReply): Promise<StixBundle> {
    return stix(reply, await this.exportIncident.execute(caller, id));
  }

  @Get('clusters/:id/stix')
  @Roles(...EXPORT_ROLES)
  @ApiProduces(STIX_MEDIA_TYPE)
  @ApiOperation({ summary: "A campaign (or cluster) as a STIX 2.1 bundle, with only the incidents within the caller's clearance" })
  async cluster(@CurrentCaller() caller: Caller, @Param('id') id: string, @Res({ passthrough: true }) reply: FastifyReply): Promise<StixBundle> {
    return stix(reply, await this.exportCluster.execute(caller, id));
  }
}

function stix(reply: FastifyReply, bundle: StixBundle): StixBundle {
  // With its charset stated, Fastify leaves the header as written (else it re-quotes `version`).
  void reply.header('content-type', `${STIX_MEDIA_TYPE};charset=utf-8`);
  return bundle;
}
