import { Controller, Get, Header } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '../auth/decorators';
import { PROBE_ROUTE_CONFIG } from '../health/health.controller';
import { metricsRegistry } from './metrics-registry';

/** Prometheus scrape endpoint; no token needed. */
@ApiTags('health')
@Public()
@Controller('metrics')
export class MetricsController {
  @Get()
  @ApiOperation({ summary: 'Prometheus metrics' })
  @RouteConfig(PROBE_ROUTE_CONFIG)
  @Header('Content-Type', metricsRegistry.contentType)
  @ApiOkResponse({ description: 'Prometheus text exposition format.' })
  metrics(): Promise<string> {
    return metricsRegistry.metrics();
  }
}
