import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EVENT_CATALOGUE, EVENT_TYPES } from '../catalogue/catalogue';
import { asyncApiDocument } from './asyncapi';

type Json = Record<string, unknown>;

/** Every `$ref` string anywhere in `value`. */
function refsIn(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(refsIn);
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value as Json).flatMap(([key, item]) => (key === '$ref' && typeof item === 'string' ? [item] : refsIn(item)));
}

/** Follows a local `#/a/b/c` pointer. */
function resolve(document: Json, ref: string): unknown {
  return ref
    .replace(/^#\//, '')
    .split('/')
    .reduce<unknown>((node, key) => (node !== null && typeof node === 'object' ? (node as Json)[key] : undefined), document);
}

describe('the AsyncAPI document', () => {
  const document = asyncApiDocument();

  it('is AsyncAPI 3 with a channel, a message and a send operation for every event type', () => {
    expect(document['asyncapi']).toBe('3.0.0');
    const channels = document['channels'] as Record<string, { address: string; messages: Json }>;
    const addresses = Object.values(channels).map((channel) => channel.address);
    for (const type of EVENT_TYPES) {
      const { subjectBase, nationalOnly } = EVENT_CATALOGUE[type];
      expect(addresses).toContain(nationalOnly ? `${subjectBase}.us` : `${subjectBase}.{state}`);
    }
    expect(Object.keys(channels)).toHaveLength(EVENT_TYPES.length);
    expect(Object.keys(document['operations'] as Json)).toHaveLength(EVENT_TYPES.length);
  });

  it('describes each payload by its class schema, and every reference resolves', () => {
    const schemas = (document['components'] as { schemas: Record<string, { properties?: Json }> }).schemas;
    expect(Object.keys(schemas['IncidentTriagedV1']?.properties ?? {})).toEqual(expect.arrayContaining(['incidentId', 'version', 'priority', 'breakdown']));
    const unresolved = refsIn(document).filter((ref) => resolve(document, ref) === undefined);
    expect(unresolved).toEqual([]);
  });

  it('is what docs/asyncapi.json publishes (run `npm run asyncapi` after changing the contract)', () => {
    // Compared by shape (channels, messages, schemas and their fields): the exact keywords
    // depend on decorator metadata, which Jest's shared class-validator registry can blur.
    const shape = (doc: Json) => {
      const schemas = (doc['components'] as { schemas: Record<string, { properties?: Json }> }).schemas;
      return {
        channels: Object.values(doc['channels'] as Record<string, { address: string }>).map((channel) => channel.address).sort(),
        messages: Object.keys((doc['components'] as { messages: Json }).messages).sort(),
        schemas: Object.fromEntries(Object.entries(schemas).map(([name, schema]) => [name, Object.keys(schema.properties ?? {}).sort()])),
      };
    };
    const published = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', '..', 'docs', 'asyncapi.json'), 'utf8')) as Json;
    expect(shape(published)).toEqual(shape(document));
  });
});
