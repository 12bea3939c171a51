import { defaultMetadataStorage } from 'class-transformer/cjs/storage';
import { validationMetadatasToSchemas } from 'class-validator-jsonschema';
// Importing the catalogue defines every payload class, so their rules are registered.
import '../catalogue/catalogue';

/** A JSON Schema (draft 2020-12 subset) as class-validator-jsonschema produces it. */
export type JsonSchema = Record<string, unknown>;

/**
 * JSON Schemas of the contract's classes (submission DTOs, every event payload) and of any
 * other class-validator class loaded so far (a service's own request DTOs), derived from the
 * same rules that validate them, so the published schemas (OpenAPI, AsyncAPI) cannot drift
 * from what is enforced. References point at
 * `#/components/schemas/<Class>`. Rules without a JSON Schema form (OCD-ID grammar,
 * observable values) are enforced at run time only.
 */
export function contractJsonSchemas(): Record<string, JsonSchema> {
  const schemas = validationMetadatasToSchemas({
    refPointerPrefix: '#/components/schemas/',
    classTransformerMetadataStorage: defaultMetadataStorage,
  }) as Record<string, JsonSchema>;
  // Services validate their environment classes the same way; those are no part of a contract.
  return Object.fromEntries(Object.entries(schemas).filter(([name]) => !name.endsWith('Env')).map(([name, schema]) => [name, withPlainTypes(schema) as JsonSchema]));
}

// A nested property whose design type is a plain array or object (a record, a list of
// strings) comes out as a reference to a class called Array or Object: say what it is.
const PLAIN_TYPES: Readonly<Record<string, JsonSchema>> = {
  '#/components/schemas/Array': { type: 'array' },
  '#/components/schemas/Object': { type: 'object' },
};

function withPlainTypes(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withPlainTypes);
  if (value === null || typeof value !== 'object') return value;
  const ref = (value as { $ref?: unknown }).$ref;
  if (typeof ref === 'string' && PLAIN_TYPES[ref]) {
    const { $ref: _ref, ...rest } = value as Record<string, unknown>;
    return { ...rest, ...PLAIN_TYPES[ref] };
  }
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, withPlainTypes(item)]));
}
