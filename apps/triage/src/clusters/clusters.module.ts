import { Module } from '@nestjs/common';
import { ClusterRepository } from './cluster.repository';
import { ClustersController } from './clusters.controller';

/** `GET /v1/clusters`: what correlation found. */
@Module({ controllers: [ClustersController], providers: [ClusterRepository], exports: [ClusterRepository] })
export class ClustersModule {}
