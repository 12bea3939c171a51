// Public entry of @watchfloor/platform: what every HTTP service shares.
import './http/request-context';

export * from './config/base-env';
export * from './config/env-transforms';
export * from './config/load-config';
export * from './config/url-validator';

export * from './logging/create-logger';
export * from './logging/nest-logger';
export * from './logging/readable-line';
export * from './logging/redaction';

export * from './errors/domain-error';
export * from './errors/status';
export * from './errors/problem';
export * from './errors/problem.filter';
export * from './errors/validation.pipe';

export * from './auth/caller';
export * from './auth/access';
export * from './auth/claims';
export * from './auth/decorators';
export * from './auth/auth.guard';
export * from './auth/token-verifier';
export * from './auth/dev-token';

export * from './health/readiness-registry';
export * from './health/health.controller';
export * from './metrics/metrics-registry';
export * from './metrics/metrics.controller';

export type { AuthResult } from './http/request-context';
export * from './http/correlation';
export * from './http/configure-http-app';
export * from './http/create-http-app';
export * from './http/openapi';
export * from './http/contract-schemas';
export * from './http/page-query';
export * from './http/rate-limit';
export * from './http/rate-limit-counts';
export * from './http/security-headers';
export * from './http/json-depth';
export * from './http/exercise-param';

export * from './tracing/tracing';
export * from './tracing/trace-context';
export * from './tracing/http-tracing';

export * from './platform.module';
export * from './platform.tokens';
