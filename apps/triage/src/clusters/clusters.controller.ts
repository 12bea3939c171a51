import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { NotFoundError, RequestValidationError, Roles } from '@watchfloor/platform';
import { DataSource } from 'typeorm';
import { ClusterRepository, type ClusterView } from './cluster.repository';
import { ClustersQuery } from './clusters.query';

function decodeCursor(cursor: string): { updatedAt: string; id: string } {
  const [updatedAt, id, ...rest] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  if (!updatedAt || Number.isNaN(Date.parse(updatedAt)) || !id || !/^[0-9a-f-]{36}$/.test(id) || rest.length > 0) {
    throw new RequestValidationError([{ field: 'cursor', message: 'cursor is not one this API returned' }]);
  }
  return { updatedAt, id };
}

/** Correlated clusters and campaigns (reads only: clusters change when incidents arrive). */
@ApiTags('clusters')
@ApiBearerAuth('bearer')
@Controller('v1/clusters')
export class ClustersController {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(ClusterRepository) private readonly clusters: ClusterRepository,
  ) {}

  @Get()
  @Roles('triage')
  @ApiOperation({ summary: 'Clusters of related incidents, most recently changed first; `campaign=true` for campaigns' })
  async list(@Query() query: ClustersQuery): Promise<{ items: ClusterView[]; nextCursor: string | null }> {
    const limit = query.limit ?? 50;
    const rows = await this.clusters.list(this.dataSource.manager, {
      limit: limit + 1,
      ...(query.campaign !== undefined ? { campaign: query.campaign } : {}),
      ...(query.exercise ? { exercise: query.exercise } : {}),
      ...(query.cursor ? { before: decodeCursor(query.cursor) } : {}),
    });
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    return { items, nextCursor: rows.length > limit && last ? Buffer.from(`${last.updatedAt}|${last.id}`).toString('base64url') : null };
  }

  @Get(':id')
  @Roles('triage')
  @ApiOperation({ summary: 'A cluster: its incidents, jurisdictions, shared observables and whether it is a campaign' })
  async get(@Param('id') id: string): Promise<ClusterView> {
    const cluster = await this.clusters.findById(this.dataSource.manager, id);
    if (!cluster) throw new NotFoundError('CLUSTER.NOT_FOUND', `No cluster ${id}.`);
    return cluster;
  }
}
