import fc from 'fast-check';

/** The part of an OpenAPI 3 schema object the generator reads. */
export interface JsonSchema {
  $ref?: string;
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  allOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  maxItems?: number;
  pattern?: string;
}

export type SchemaComponents = Record<string, JsonSchema>;

/** Values a hostile or careless caller sends where something else belongs. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.constantFrom<unknown>(null, '', ' ', -1, 0, 1e308, -0, 'null', 'true', '<script>alert(1)</script>', "' OR 1=1 --", '\u0000', '\ud800', '../../etc/passwd', '%00', 'ocd-division/country:us/../state:ga', [], {}, [[[[[]]]]]),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constant('x'.repeat(70_000)),
);
const hostile = hostileValue;

/** Keys a caller might try to slip in (mass assignment, prototype pollution). */
export const smuggledKey = fc.constantFrom('status', 'priority', 'score', 'version', 'id', 'incidentId', 'org', 'organisation', 'jurisdiction', 'submittedBy', 'createdBy', 'deleted', '__proto__', 'constructor', 'prototype');

/**
 * Values for a JSON schema: mostly ones that conform to it, so that validation is passed far
 * enough to reach deeper rules, and now and then a hostile value in any place, or an object with
 * a key the schema does not have.
 */
export function schemaArbitrary(schema: JsonSchema, components: SchemaComponents, depth = 0): fc.Arbitrary<unknown> {
  if (depth > 6) return hostile;
  return fc.oneof({ weight: 30, arbitrary: conforming(resolve(schema, components), components, depth) }, { weight: 1, arbitrary: hostile });
}

function resolve(schema: JsonSchema, components: SchemaComponents): JsonSchema {
  if (!schema.$ref) return schema;
  const name = schema.$ref.split('/').pop() ?? '';
  return resolve(components[name] ?? {}, components);
}

function conforming(schema: JsonSchema, components: SchemaComponents, depth: number): fc.Arbitrary<unknown> {
  const next = (inner: JsonSchema) => schemaArbitrary(inner, components, depth + 1);
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum && schema.enum.length > 0) return fc.constantFrom(...schema.enum);
  const alternatives = schema.oneOf ?? schema.anyOf;
  if (alternatives && alternatives.length > 0) return fc.oneof(...alternatives.map(next));
  if (schema.allOf && schema.allOf.length > 0) return conforming(merge(schema.allOf.map((part) => resolve(part, components))), components, depth);
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  switch (type ?? (schema.properties ? 'object' : undefined)) {
    case 'object':
      return objectOf(schema, next);
    case 'array':
      return fc.array(schema.items ? next(schema.items) : hostile, { maxLength: Math.min(schema.maxItems ?? 4, 4) + 1 });
    case 'string':
      return stringOf(schema);
    case 'integer':
      return fc.oneof(fc.integer({ min: schema.minimum ?? -10, max: schema.maximum ?? 1_000 }), fc.integer());
    case 'number':
      return fc.oneof(fc.double({ min: schema.minimum ?? -10, max: schema.maximum ?? 1_000, noNaN: true }), fc.double());
    case 'boolean':
      return fc.boolean();
    default:
      return hostile;
  }
}

function objectOf(schema: JsonSchema, next: (inner: JsonSchema) => fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  const properties = schema.properties ?? {};
  const model = Object.fromEntries(Object.entries(properties).map(([key, inner]) => [key, next(inner)]));
  const required = (schema.required ?? []).filter((key) => key in properties);
  const body = fc.record(model, { requiredKeys: required });
  // Now and then a required property missing, or a key that is not in the schema.
  return fc.oneof(
    { weight: 8, arbitrary: body },
    { weight: 1, arbitrary: fc.tuple(body, fc.constantFrom(...(required.length > 0 ? required : ['_']))).map(([value, key]) => omit(value, key)) },
    { weight: 1, arbitrary: fc.tuple(body, smuggledKey, hostile).map(([value, key, smuggled]) => withKey(value, key, smuggled)) },
  );
}

function stringOf(schema: JsonSchema): fc.Arbitrary<string> {
  const maxLength = Math.min(schema.maxLength ?? 60, 300);
  switch (schema.format) {
    case 'date-time':
      return fc.date({ min: new Date('1990-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((date) => date.toISOString());
    case 'uuid':
      return fc.uuid();
    case 'email':
      return fc.emailAddress();
    case 'uri':
    case 'url':
      return fc.webUrl();
    default:
      return schema.pattern ? fc.stringMatching(new RegExp(schema.pattern)).map((text) => text.slice(0, maxLength)) : fc.string({ minLength: schema.minLength ?? 0, maxLength });
  }
}

function merge(parts: JsonSchema[]): JsonSchema {
  return parts.reduce<JsonSchema>(
    (all, part) => ({ ...all, ...part, properties: { ...all.properties, ...part.properties }, required: [...(all.required ?? []), ...(part.required ?? [])] }),
    {},
  );
}

function omit(value: unknown, key: string): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const { [key]: _left, ...rest } = value as Record<string, unknown>;
  return rest;
}

/** Sets the key as JSON would carry it (`__proto__` included, as an own property). */
function withKey(value: unknown, key: string, smuggled: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const copy = { ...(value as Record<string, unknown>) };
  Object.defineProperty(copy, key, { value: smuggled, enumerable: true, writable: true, configurable: true });
  return copy;
}

/**
 * A valid example and mutations of it: as it is, one value (at any depth) replaced by a hostile
 * one, one property removed, or a key the schema does not have slipped into one object.
 * `values` are the hostile values to put in (default {@link hostileValue}), `keys` the keys to
 * slip in (default {@link smuggledKey}).
 */
export function mutationArbitrary(example: unknown, values: fc.Arbitrary<unknown> = hostile, keys: fc.Arbitrary<string> = smuggledKey): fc.Arbitrary<unknown> {
  const paths = objectPaths(example);
  const valuePaths = leafAndObjectPaths(example);
  return fc.oneof(
    { weight: 2, arbitrary: fc.constant(example) },
    { weight: 3, arbitrary: fc.tuple(fc.constantFrom(...valuePaths), values).map(([path, value]) => setAt(example, path, value)) },
    { weight: 2, arbitrary: fc.constantFrom(...valuePaths).map((path) => setAt(example, path, REMOVE)) },
    { weight: 2, arbitrary: fc.tuple(fc.constantFrom(...paths), keys, values).map(([path, key, value]) => setAt(example, [...path, key], value)) },
  );
}

const REMOVE = Symbol('remove');
type Path = Array<string | number>;

function objectPaths(value: unknown, path: Path = []): Path[] {
  if (value === null || typeof value !== 'object') return [];
  const own = Array.isArray(value) ? [] : [path];
  return [...own, ...Object.entries(value).flatMap(([key, inner]) => objectPaths(inner, [...path, Array.isArray(value) ? Number(key) : key]))];
}

function leafAndObjectPaths(value: unknown, path: Path = []): Path[] {
  if (value === null || typeof value !== 'object') return path.length > 0 ? [path] : [];
  const children = Object.entries(value).flatMap(([key, inner]) => leafAndObjectPaths(inner, [...path, Array.isArray(value) ? Number(key) : key]));
  return path.length > 0 ? [path, ...children] : children;
}

/** A copy of `value` with the value at `path` replaced (or removed), as JSON would carry it. */
function setAt(value: unknown, path: Path, replacement: unknown): unknown {
  if (path.length === 0) return replacement;
  const [head, ...rest] = path as [string | number, ...Path];
  const copy = (Array.isArray(value) ? [...(value as unknown[])] : { ...(value as Record<string, unknown>) }) as Record<string | number, unknown>;
  const next = setAt(copy[head], rest, replacement);
  if (next === REMOVE && rest.length === 0) {
    if (Array.isArray(copy)) copy.splice(Number(head), 1);
    else delete copy[head];
  } else {
    Object.defineProperty(copy, head, { value: next, enumerable: true, writable: true, configurable: true });
  }
  return copy;
}
