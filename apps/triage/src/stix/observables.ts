import type { Observable } from '@watchfloor/contracts';
import { scoId } from './stix-ids';

/** A STIX cyber-observable object (no markings yet). */
export interface StixObservable {
  type: string;
  spec_version: '2.1';
  id: string;
  [property: string]: unknown;
}

/** The STIX form of one observable: its object's type and its ID contributing properties (and only those). */
function contributingProperties(observable: Observable): { type: string; properties: Record<string, unknown> } | undefined {
  const { value } = observable;
  switch (observable.type) {
    case 'ipv4':
      return { type: 'ipv4-addr', properties: { value } };
    case 'ipv6':
      return { type: 'ipv6-addr', properties: { value } };
    case 'domain':
      return { type: 'domain-name', properties: { value } };
    case 'url':
      return { type: 'url', properties: { value } };
    case 'email':
      return { type: 'email-addr', properties: { value } };
    case 'sha256':
      return { type: 'file', properties: { hashes: { 'SHA-256': value } } };
    case 'md5':
      return { type: 'file', properties: { hashes: { MD5: value } } };
    case 'file_name':
      return { type: 'file', properties: { name: value } };
    case 'social_handle':
      return { type: 'user-account', properties: socialAccount(value) };
    case 'phone':
      // STIX 2.1 has no cyber-observable for a phone number: it stays in the incident's extension.
      return undefined;
  }
}

/** `x:@handle` -> an account of type `twitter` (the vocabulary's name for it) with user id `@handle`. */
function socialAccount(value: string): Record<string, string> {
  const colon = value.indexOf(':');
  if (colon < 0) return { user_id: value };
  const platform = value.slice(0, colon);
  return { account_type: platform === 'x' ? 'twitter' : platform, user_id: value.slice(colon + 1) };
}

/** The cyber-observable object of an observable, with its deterministic id; undefined for a phone number. */
export function toStixObservable(observable: Observable): StixObservable | undefined {
  const form = contributingProperties(observable);
  if (!form) return undefined;
  return { type: form.type, spec_version: '2.1', id: scoId(form.type, form.properties), ...form.properties };
}

/** A string literal of the STIX patterning language (quote and backslash escaped). */
function literal(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** An object path's property name, quoted when it is not a plain identifier (`hashes.'SHA-256'`). */
function pathPart(name: string): string {
  return /^[a-z_][a-z0-9_]*$/i.test(name) ? name : literal(name);
}

/** A STIX pattern matching the observable (`[ipv4-addr:value = '192.0.2.1']`); undefined for a phone number. */
export function stixPattern(observable: Observable): string | undefined {
  const form = contributingProperties(observable);
  if (!form) return undefined;
  const comparisons: string[] = [];
  for (const [name, value] of Object.entries(form.properties)) {
    if (typeof value === 'string') comparisons.push(`${form.type}:${name} = ${literal(value)}`);
    else for (const [key, inner] of Object.entries(value as Record<string, string>)) comparisons.push(`${form.type}:${name}.${pathPart(key)} = ${literal(inner)}`);
  }
  return `[${comparisons.join(' AND ')}]`;
}
