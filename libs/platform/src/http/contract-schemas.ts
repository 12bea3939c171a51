import type { OpenAPIObject } from '@nestjs/swagger';
import { contractJsonSchemas } from '@watchfloor/contracts';

type SchemaMap = NonNullable<NonNullable<OpenAPIObject['components']>['schemas']>;

/** The contract's JSON Schemas, for the OpenAPI document's components (request bodies). */
export function contractSchemas(): SchemaMap {
  return contractJsonSchemas() as SchemaMap;
}

/** A `$ref` to a contract class's schema, for `@ApiBody({ schema })`. */
export function contractSchemaRef(cls: { name: string }): { $ref: string } {
  return { $ref: `#/components/schemas/${cls.name}` };
}
