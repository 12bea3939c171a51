import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import type { Logger } from 'pino';
import { AuthGuard } from './auth/auth.guard';
import { TokenVerifier } from './auth/token-verifier';
import type { BaseEnv } from './config/base-env';
import { ProblemFilter } from './errors/problem.filter';
import { createValidationPipe } from './errors/validation.pipe';
import { HealthController } from './health/health.controller';
import { ReadinessRegistry } from './health/readiness-registry';
import { MetricsController } from './metrics/metrics.controller';
import { CONFIG, ROOT_LOGGER, SERVICE_NAME, TRACING } from './platform.tokens';
import { TRACING_OFF, type Tracing } from './tracing/tracing';

/** What {@link PlatformModule.forRoot} needs. */
export interface PlatformOptions<C extends BaseEnv = BaseEnv> {
  /** Service name, e.g. `intake`. */
  service: string;
  /** The validated config (from `loadConfig`). */
  config: C;
  /** The root logger (from `createLogger`). */
  logger: Logger;
  /** The service's tracing (`createTracing`); default off. */
  tracing?: Tracing;
}

/**
 * Everything HTTP services share inside Nest: the global auth guard, problem+json filter and
 * validation pipe, `/health/*` and `/metrics`, and injectable `CONFIG`, `ROOT_LOGGER`, `TRACING`,
 * `TokenVerifier` and `ReadinessRegistry`. Global, so feature modules need not import it.
 * `createHttpApp` adds it around the service's module; tests built with `Test.createTestingModule`
 * import it themselves.
 */
@Module({})
export class PlatformModule {
  /** The module for one service. */
  static forRoot<C extends BaseEnv>(options: PlatformOptions<C>): DynamicModule {
    return {
      module: PlatformModule,
      global: true,
      controllers: [HealthController, MetricsController],
      providers: [
        { provide: CONFIG, useValue: options.config },
        { provide: ROOT_LOGGER, useValue: options.logger },
        { provide: SERVICE_NAME, useValue: options.service },
        { provide: TRACING, useValue: options.tracing ?? TRACING_OFF },
        { provide: TokenVerifier, useValue: TokenVerifier.fromConfig(options.config) },
        ReadinessRegistry,
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_FILTER, useValue: new ProblemFilter(options.logger) },
        { provide: APP_PIPE, useValue: createValidationPipe() },
      ],
      exports: [CONFIG, ROOT_LOGGER, SERVICE_NAME, TRACING, TokenVerifier, ReadinessRegistry],
    };
  }
}
