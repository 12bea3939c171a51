import Ajv from 'ajv';
import { STIX_BUNDLE_SCHEMA } from './stix-2.1.schema';

/** A STIX object as the rules read it. */
type StixObject = { type: string; id: string } & Record<string, unknown>;

/**
 * The TLP 2.0 marking definitions' fixed ids, names and creation time, checked against OASIS's
 * published definitions (cti-stix-common-objects, extension-definition-specifications/tlp-2.0).
 * Written out here, not imported from the code under test.
 */
const TLP_2_0 = {
  clear: 'marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487',
  green: 'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb',
  amber: 'marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421',
  'amber+strict': 'marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003',
  red: 'marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1',
} as const;
const TLP_2_0_EXTENSION = 'extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d';
const SCO_TYPES = new Set(['ipv4-addr', 'ipv6-addr', 'domain-name', 'url', 'email-addr', 'file', 'user-account']);
/** `[type:path = 'literal' (AND ...)*]`, the comparison expressions of STIX patterning (section 9) we use. */
const COMPARISON = `([a-z0-9-]+):[a-z_][a-z0-9_]*(?:\\.(?:[a-z_][a-z0-9_]*|'[^']+'))* = '(?:[^'\\\\]|\\\\['\\\\])*'`;
const PATTERN = new RegExp(`^\\[${COMPARISON}(?: AND ${COMPARISON})*\\]$`, 'i');

const validateSchema = new Ajv({ allErrors: true, strict: false }).compile(STIX_BUNDLE_SCHEMA);

/**
 * Every STIX 2.1 rule `bundle` breaks (empty when it keeps them all): the JSON Schema of
 * ./stix-2.1.schema.ts, then the rules between objects.
 */
export function stixViolations(bundle: unknown): string[] {
  if (!validateSchema(bundle)) {
    return (validateSchema.errors ?? []).filter((e) => e.keyword !== 'if').map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
  }
  const objects = (bundle as { objects: StixObject[] }).objects;
  const byId = new Map<string, StixObject>();
  const violations: string[] = [];
  for (const object of objects) {
    if (byId.has(object.id)) violations.push(`${object.id}: twice in the bundle`);
    byId.set(object.id, object);
    // Section 2.9: the id's type part is the object's type (the schema says so per type too).
    if (!object.id.startsWith(`${object.type}--`)) violations.push(`${object.id}: id of another type than ${object.type}`);
  }
  for (const object of objects) violations.push(...objectViolations(object, byId));
  return violations;
}

function objectViolations(object: StixObject, byId: ReadonlyMap<string, StixObject>): string[] {
  const violations: string[] = [];
  const at = object.id;
  const resolve = (property: string, ref: string, types?: (type: string) => boolean): void => {
    const target = byId.get(ref);
    if (!target) violations.push(`${at}.${property}: ${ref} is not in the bundle`);
    else if (types && !types(target.type)) violations.push(`${at}.${property}: ${ref} is a ${target.type}`);
  };

  // Every reference resolves inside the bundle, to an object of the type the property allows.
  for (const [property, value] of Object.entries(object)) {
    if (property.endsWith('_ref') && typeof value === 'string') resolve(property, value, property === 'created_by_ref' ? (t) => t === 'identity' : undefined);
    if (property.endsWith('_refs') && Array.isArray(value)) {
      const allowed = property === 'object_marking_refs' ? (t: string) => t === 'marking-definition' : object.type === 'observed-data' ? (t: string) => SCO_TYPES.has(t) : undefined;
      for (const ref of value as string[]) resolve(property, ref, allowed);
      if (new Set(value).size !== value.length) violations.push(`${at}.${property}: a reference twice`);
    }
  }

  // Extensions: each is defined in the bundle (the TLP 2.0 one is OASIS's), and of a type its definition declares.
  const extensions = (object.extensions ?? {}) as Record<string, { extension_type?: string }>;
  for (const [id, extension] of Object.entries(extensions)) {
    if (id === TLP_2_0_EXTENSION && object.type === 'marking-definition') continue;
    const definition = byId.get(id);
    if (!definition || definition.type !== 'extension-definition') violations.push(`${at}: extension ${id} is not defined in the bundle`);
    else if (!(definition.extension_types as string[]).includes(String(extension.extension_type))) violations.push(`${at}: extension ${id} is not a ${extension.extension_type}`);
  }

  // Timestamps are real instants, and in order.
  const times = Object.fromEntries(
    ['created', 'modified', 'first_observed', 'last_observed', 'valid_from'].filter((p) => typeof object[p] === 'string').map((p) => [p, Date.parse(object[p] as string)]),
  );
  for (const [property, time] of Object.entries(times)) if (Number.isNaN(time)) violations.push(`${at}.${property}: not a date`);
  if (times.modified !== undefined && times.created !== undefined && times.modified < times.created) violations.push(`${at}: modified before created`);
  if (times.last_observed !== undefined && times.first_observed !== undefined && times.last_observed < times.first_observed) {
    violations.push(`${at}: last_observed before first_observed`);
  }

  // Cyber-observables have deterministic ids (UUIDv5, section 2.9) when they have ID contributing properties, as ours all do.
  if (SCO_TYPES.has(object.type) && object.id.charAt(object.type.length + 2 + 14) !== '5') violations.push(`${at}: not a UUIDv5`);

  // TLP 2.0: only OASIS's marking definitions, with their fixed ids, names and creation time.
  if (object.type === 'marking-definition') {
    const tlp = (extensions[TLP_2_0_EXTENSION] as { tlp_2_0?: keyof typeof TLP_2_0 } | undefined)?.tlp_2_0;
    if (!tlp || TLP_2_0[tlp] !== object.id || object.name !== `TLP:${tlp.toUpperCase()}` || object.created !== '2022-10-01T00:00:00.000Z') {
      violations.push(`${at}: not the OASIS TLP 2.0 marking definition of ${String(tlp)}`);
    }
  }

  if (object.type === 'indicator') {
    const pattern = String(object.pattern);
    const types = [...pattern.matchAll(new RegExp(COMPARISON, 'gi'))].map((m) => m[1] ?? '');
    if (!PATTERN.test(pattern) || !types.every((t) => SCO_TYPES.has(t))) violations.push(`${at}: pattern ${pattern} is not STIX patterning`);
  }
  return violations;
}
