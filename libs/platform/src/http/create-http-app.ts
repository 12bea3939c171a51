import { type DynamicModule, Module, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { BaseEnv } from '../config/base-env';
import { PinoNestLogger } from '../logging/nest-logger';
import { initMetrics } from '../metrics/metrics-registry';
import { PlatformModule } from '../platform.module';
import type { Tracing } from '../tracing/tracing';
import { configureHttpApp, type HttpRateLimitOptions } from './configure-http-app';
import { type OpenApiOptions, setupOpenApi } from './openapi';

/** Options of {@link createHttpApp}. */
export interface HttpAppOptions<C extends BaseEnv = BaseEnv> {
  /** Service name (`intake`), on logs, metrics and the OpenAPI title. */
  service: string;
  /** Validated config (`loadConfig(ServiceEnv)`). */
  config: C;
  /** Root logger (`createLogger`). */
  logger: Logger;
  /** OpenAPI document details. */
  openApi?: OpenApiOptions;
  /** The service's tracing (`createTracing`): request spans, and `TRACING` for its providers. Default off. */
  tracing?: Tracing;
  /** The replicas' shared rate-limit counts (createServiceApp gives Postgres'); default: each replica limits alone. */
  rateLimit?: HttpRateLimitOptions;
}

/** A created HTTP service, not yet listening. */
export interface HttpApp {
  /** The Nest application, e.g. for `app.get(SomeProvider)`. */
  readonly app: NestFastifyApplication;
  /** Initialises and listens on `HOST:PORT`; resolves to the base URL (`http://127.0.0.1:3001`). */
  listen(): Promise<string>;
  /** Stops accepting requests and runs Nest's shutdown hooks. */
  close(): Promise<void>;
}

/** Longest a client may take to send a whole request (headers and body). */
export const REQUEST_RECEIVE_TIMEOUT_MS = 30_000;

@Module({})
class HttpRootModule {}

/**
 * Creates a Nest application on Fastify with everything platform provides: config-driven body
 * limit, JSON-only bodies (415 otherwise), correlation ids, request logs and metrics, per-caller
 * rate limit, the auth guard, problem+json errors, the validation pipe, health, metrics,
 * OpenAPI at `/docs` and shutdown hooks. `appModule` is the service's root module; it may
 * inject `CONFIG`, `ROOT_LOGGER`, `ReadinessRegistry` and `TokenVerifier` without importing.
 */
export async function createHttpApp<C extends BaseEnv>(
  appModule: Type | DynamicModule,
  options: HttpAppOptions<C>,
): Promise<HttpApp> {
  const { config, logger, service, tracing, rateLimit } = options;
  initMetrics(service);
  const adapter = new FastifyAdapter({
    bodyLimit: config.BODY_LIMIT_BYTES,
    trustProxy: config.TRUST_PROXY,
    // Request logging is ours (one line per request, no child logger per request).
    logger: false,
    // Fastify's default (0) turns off Node's limit, so a client that never finishes sending
    // would hold its socket for ever; past this Node answers 408 and closes it. Handlers are
    // not timed here: a service that must answer under load sheds it (e.g. intake's 503).
    requestTimeout: REQUEST_RECEIVE_TIMEOUT_MS,
  });
  const root: DynamicModule = {
    module: HttpRootModule,
    imports: [appModule, PlatformModule.forRoot({ service, config, logger, tracing })],
  };
  const app = await NestFactory.create<NestFastifyApplication>(root, adapter, {
    // Fastify's own JSON parser serves as is; Nest's wrapper adds urlencoded and per-request work.
    bodyParser: false,
    logger: new PinoNestLogger(logger),
    abortOnError: false,
  });
  await configureHttpApp(app, { config, logger, tracing, rateLimit });
  setupOpenApi(app, service, options.openApi);
  app.enableShutdownHooks();

  return {
    app,
    async listen() {
      await app.listen({ port: config.PORT, host: config.HOST });
      const url = baseUrl(app.getHttpServer().address() as AddressInfo);
      logger.info({ url }, `${service} listening`);
      return url;
    },
    close: () => app.close(),
  };
}

function baseUrl(address: AddressInfo): string {
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `http://${host}:${address.port}`;
}
