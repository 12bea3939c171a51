/**
 * Our own JSON Schema of the STIX 2.1 rules an export must keep (STIX 2.1 OS, sections 2-7),
 * written from the specification, for the object types Watchfloor exports. It is stricter
 * than the specification where we can be (an unknown object type is refused). The rules a
 * schema cannot say (references resolve, ids match their type, TLP definitions are the OASIS
 * ones, SCO ids are UUIDv5) are in ./stix-rules.ts.
 */

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}';
/** `<type>--<RFC 4122 UUID>` (section 2.9). */
const identifier = (type: string) => ({ type: 'string', pattern: `^${type}--${UUID}$` });
const anyIdentifier = { type: 'string', pattern: `^[a-z0-9-]+--${UUID}$` };
/** Section 2.14: RFC 3339, UTC `Z`; `created` and `modified` to the millisecond exactly (3.2). */
const timestamp = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z$' };
const timestampMs = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z$' };
const nonEmptyList = (items: object) => ({ type: 'array', minItems: 1, items });
const text = { type: 'string', minLength: 1 };

/** Extensions (7.3): keyed by an extension-definition id, each stating its extension type; custom names a-z0-9_ of 3-250. */
const extensions = {
  type: 'object',
  minProperties: 1,
  propertyNames: { pattern: `^extension-definition--${UUID}$` },
  additionalProperties: {
    type: 'object',
    required: ['extension_type'],
    properties: { extension_type: { enum: ['property-extension', 'toplevel-property-extension'] } },
    propertyNames: { pattern: '^[a-z0-9_]{3,250}$' },
  },
};

const externalReference = {
  type: 'object',
  required: ['source_name'],
  properties: { source_name: text, external_id: text, url: text, description: text },
  additionalProperties: false,
};

/** Common properties of SDOs and SROs (3.2): required type, spec_version, id, created, modified. */
function sdo(type: string, required: string[], properties: Record<string, unknown>) {
  return {
    type: 'object',
    required: ['type', 'spec_version', 'id', 'created', 'modified', ...required],
    properties: {
      type: { const: type },
      spec_version: { const: '2.1' },
      id: identifier(type),
      created_by_ref: identifier('identity'),
      created: timestampMs,
      modified: timestampMs,
      revoked: { type: 'boolean' },
      labels: nonEmptyList(text),
      confidence: { type: 'integer', minimum: 0, maximum: 100 },
      lang: text,
      external_references: nonEmptyList(externalReference),
      object_marking_refs: nonEmptyList(identifier('marking-definition')),
      extensions,
      ...properties,
    },
    additionalProperties: false,
  };
}

/** Common properties of SCOs (3.2, 6): type and id required; `spec_version` 2.1 when given. */
function sco(type: string, properties: Record<string, unknown>, atLeastOne: string[]) {
  return {
    type: 'object',
    required: ['type', 'id'],
    anyOf: atLeastOne.map((name) => ({ required: [name] })),
    properties: {
      type: { const: type },
      spec_version: { const: '2.1' },
      id: identifier(type),
      object_marking_refs: nonEmptyList(identifier('marking-definition')),
      defanged: { type: 'boolean' },
      ...properties,
    },
    additionalProperties: false,
  };
}

const HASHES = {
  type: 'object',
  minProperties: 1,
  properties: { MD5: { type: 'string', pattern: '^[0-9a-fA-F]{32}$' }, 'SHA-256': { type: 'string', pattern: '^[0-9a-fA-F]{64}$' } },
  additionalProperties: false,
};

const DEFINITIONS: Record<string, object> = {
  identity: sdo('identity', ['name'], { name: text, description: text, identity_class: text }),
  'extension-definition': sdo('extension-definition', ['created_by_ref', 'name', 'schema', 'version', 'extension_types'], {
    name: text,
    description: text,
    schema: text,
    version: { type: 'string', pattern: '^\\d+\\.\\d+\\.\\d+$' },
    extension_types: nonEmptyList({ enum: ['new-sdo', 'new-sco', 'new-sro', 'property-extension', 'toplevel-property-extension'] }),
  }),
  // 7.2.1: marking definitions have no `modified`; one defined by an extension has no definition_type.
  'marking-definition': {
    type: 'object',
    required: ['type', 'spec_version', 'id', 'created', 'name', 'extensions'],
    properties: {
      type: { const: 'marking-definition' },
      spec_version: { const: '2.1' },
      id: identifier('marking-definition'),
      created: timestampMs,
      name: text,
      extensions: {
        type: 'object',
        required: ['extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d'],
        properties: {
          'extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d': {
            type: 'object',
            required: ['extension_type', 'tlp_2_0'],
            properties: { extension_type: { const: 'property-extension' }, tlp_2_0: { enum: ['clear', 'green', 'amber', 'amber+strict', 'red'] } },
            additionalProperties: false,
          },
        },
        additionalProperties: false,
      },
    },
    additionalProperties: false,
  },
  incident: sdo('incident', ['name'], { name: text, description: text }),
  campaign: sdo('campaign', ['name'], { name: text, description: text, first_seen: timestamp, last_seen: timestamp }),
  grouping: sdo('grouping', ['context', 'object_refs'], { name: text, description: text, context: text, object_refs: nonEmptyList(anyIdentifier) }),
  indicator: sdo('indicator', ['pattern', 'pattern_type', 'valid_from'], {
    name: text,
    description: text,
    indicator_types: nonEmptyList(text),
    pattern: text,
    pattern_type: { const: 'stix' },
    pattern_version: { const: '2.1' },
    valid_from: timestamp,
    valid_until: timestamp,
  }),
  'observed-data': sdo('observed-data', ['first_observed', 'last_observed', 'number_observed', 'object_refs'], {
    first_observed: timestamp,
    last_observed: timestamp,
    number_observed: { type: 'integer', minimum: 1, maximum: 999_999_999 },
    object_refs: nonEmptyList(anyIdentifier),
  }),
  relationship: sdo('relationship', ['relationship_type', 'source_ref', 'target_ref'], {
    relationship_type: { type: 'string', pattern: '^[a-z0-9-]+$' },
    description: text,
    source_ref: anyIdentifier,
    target_ref: anyIdentifier,
  }),
  'ipv4-addr': sco('ipv4-addr', { value: text }, ['value']),
  'ipv6-addr': sco('ipv6-addr', { value: text }, ['value']),
  'domain-name': sco('domain-name', { value: text }, ['value']),
  url: sco('url', { value: text }, ['value']),
  'email-addr': sco('email-addr', { value: text, display_name: text }, ['value']),
  file: sco('file', { hashes: HASHES, name: text }, ['hashes', 'name']),
  'user-account': sco('user-account', { user_id: text, account_login: text, account_type: text, display_name: text }, ['user_id', 'account_login']),
};

/** A STIX 2.1 bundle (section 8): no spec_version in 2.1; every object one of the definitions above. */
export const STIX_BUNDLE_SCHEMA = {
  type: 'object',
  required: ['type', 'id', 'objects'],
  properties: {
    type: { const: 'bundle' },
    id: identifier('bundle'),
    objects: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        required: ['type'],
        properties: { type: { enum: Object.keys(DEFINITIONS) } },
        allOf: Object.entries(DEFINITIONS).map(([type, definition]) => ({ if: { properties: { type: { const: type } } }, then: definition })),
      },
    },
  },
  additionalProperties: false,
};
