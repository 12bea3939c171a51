import { defaultMetadataStorage } from 'class-transformer/cjs/storage';
import { validationMetadatasToSchemas } from 'class-validator-jsonschema';
import type { OpenAPIObject } from '@nestjs/swagger';

type SchemaMap = NonNullable<NonNullable<OpenAPIObject['components']>['schemas']>;

/**
 * JSON Schemas of every class-validator class (the contracts' DTOs among them), so the
 * OpenAPI document describes request bodies from the same rules that validate them rather
 * than from a second set of decorators that could drift.
 */
export function contractSchemas(): SchemaMap {
  const schemas = validationMetadatasToSchemas({
    refPointerPrefix: '#/components/schemas/',
    classTransformerMetadataStorage: defaultMetadataStorage,
  });
  // Environment classes are validated the same way but are no part of the API.
  return Object.fromEntries(Object.entries(schemas).filter(([name]) => !name.endsWith('Env'))) as SchemaMap;
}

/** A `$ref` to a contract class's schema, for `@ApiBody({ schema })`. */
export function contractSchemaRef(cls: { name: string }): { $ref: string } {
  return { $ref: `#/components/schemas/${cls.name}` };
}
