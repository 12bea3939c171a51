import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { contractSchemas } from './contract-schemas';

/** What the OpenAPI document says about the service. */
export interface OpenApiOptions {
  title?: string;
  description?: string;
  version?: string;
}

/** Name of the bearer security scheme in the OpenAPI document. */
export const BEARER_SCHEME = 'bearer';

/** Serves the OpenAPI document at `/docs/json` and Swagger UI at `/docs`, with a JWT bearer scheme. */
export function setupOpenApi(app: NestFastifyApplication, service: string, options: OpenApiOptions = {}): void {
  const config = new DocumentBuilder()
    .setTitle(options.title ?? `Watchfloor ${service}`)
    .setDescription(options.description ?? `The ${service} API. Errors are RFC 9457 application/problem+json.`)
    .setVersion(options.version ?? '1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }, BEARER_SCHEME)
    .addSecurityRequirements(BEARER_SCHEME)
    .build();
  const document = SwaggerModule.createDocument(app, config);
  document.components = { ...document.components, schemas: { ...contractSchemas(), ...document.components?.schemas } };
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/json', raw: ['json'] });
}
