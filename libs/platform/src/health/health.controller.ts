import { Controller, Get, Inject, Res } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { Logger } from 'pino';
import { Public } from '../auth/decorators';
import { ROOT_LOGGER } from '../platform.tokens';
import { ReadinessRegistry } from './readiness-registry';

/** Fastify route config of probe and scrape routes: no rate limit, no request log line. */
export const PROBE_ROUTE_CONFIG = { rateLimit: false, quiet: true } as const;

/** Liveness and readiness probes; no token needed. */
@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly readiness: ReadinessRegistry,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
  ) {}

  @Get('live')
  @ApiOperation({ summary: 'The process is up (liveness probe)' })
  @RouteConfig(PROBE_ROUTE_CONFIG)
  @ApiOkResponse({ description: 'The process is up.' })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  @ApiOperation({ summary: 'Its database and NATS answer (readiness probe)' })
  @RouteConfig(PROBE_ROUTE_CONFIG)
  @ApiOkResponse({ description: 'Every readiness check passes.' })
  @ApiServiceUnavailableResponse({ description: 'A readiness check fails.' })
  async ready(@Res({ passthrough: true }) reply: FastifyReply): Promise<{ status: string; checks: Record<string, string> }> {
    const report = await this.readiness.check();
    if (!report.ready) {
      this.logger.warn({ failures: report.failures }, 'not ready');
      reply.status(503);
    }
    return { status: report.ready ? 'ok' : 'unavailable', checks: report.checks };
  }
}

