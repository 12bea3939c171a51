import { lookup, type LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';
import { normalizeEmail } from '@watchfloor/contracts';

/** Where webhooks may go: https to public addresses unless the deployment allows more. */
export interface TargetPolicy {
  allowHttp: boolean;
  allowLoopback: boolean;
  /** Private, link-local, unique-local and carrier-grade NAT ranges. */
  allowPrivate: boolean;
}

// Cloud metadata endpoints (AWS, ECS, Alibaba; GCP and Azure use 169.254.169.254 too): never a webhook target.
const METADATA_ADDRESSES = new Set(['169.254.169.254', '169.254.170.2', 'fd00:ec2::254', '100.100.100.200']);
const PRIVATE_RANGES = new Set(['private', 'linkLocal', 'uniqueLocal', 'carrierGradeNat']);

/** A target refused by the SSRF policy; retrying cannot help, so the delivery is dead at once. */
export class TargetRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TargetRefusedError';
  }
}

/**
 * Why the policy refuses `address` (an IP literal), or undefined when it may be reached.
 * IPv4-mapped IPv6 addresses are judged as the IPv4 address they carry; ranges that embed
 * another address (6to4, Teredo, NAT64) and every special-purpose range are refused.
 */
export function addressRefusal(address: string, policy: TargetPolicy): string | undefined {
  let parsed: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    parsed = ipaddr.process(address);
  } catch {
    return `${address} is not an IP address`;
  }
  const canonical = parsed.toString();
  if (METADATA_ADDRESSES.has(canonical)) return `${canonical} is a cloud metadata address`;
  const range = parsed.range();
  if (range === 'unicast') return undefined;
  if (range === 'loopback') return policy.allowLoopback ? undefined : `${canonical} is a loopback address`;
  if (PRIVATE_RANGES.has(range)) return policy.allowPrivate ? undefined : `${canonical} is a ${range} address`;
  return `${canonical} is in the ${range} range`;
}

/** The host of a URL as an IP literal (brackets removed), or undefined for a host name. */
export function literalAddress(url: URL): string | undefined {
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  return ipaddr.isValid(host) ? host : undefined;
}

/**
 * Checks a webhook target when a subscription is made or changed: an absolute https URL
 * (http only when allowed) without credentials, whose host, if an IP literal, is allowed.
 * Host names are checked at every send instead ({@link guardedLookup}). Returns the
 * normalised URL or the reason it is refused.
 */
export function checkWebhookTarget(raw: string, policy: TargetPolicy): { ok: true; value: string } | { ok: false; message: string } {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, message: 'target must be an absolute https URL' };
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && policy.allowHttp)) {
    return { ok: false, message: policy.allowHttp ? 'target must be an http or https URL' : 'target must be an https URL' };
  }
  if (url.username || url.password) return { ok: false, message: 'target must not carry credentials; the signature authenticates us' };
  const literal = literalAddress(url);
  const refusal = literal === undefined ? undefined : addressRefusal(literal, policy);
  if (refusal) return { ok: false, message: `target refused: ${refusal}` };
  url.hash = '';
  return { ok: true, value: url.toString() };
}

/** Checks an e-mail target; returns it normalised (lower-case, punycode domain). */
export function checkEmailTarget(raw: string): { ok: true; value: string } | { ok: false; message: string } {
  const result = normalizeEmail(raw);
  return result.ok ? result : { ok: false, message: `target ${result.message}` };
}

/**
 * Resolves a host name to every address it has (`family` 0, 4 or 6). The system resolver in
 * production; tests put a resolver of their own here to play DNS rebinding.
 */
export type ResolveHost = (hostname: string, family: number) => Promise<LookupAddress[]>;

/** The operating system's resolver (`getaddrinfo`, as Node's HTTP client uses by default). */
export const systemResolver: ResolveHost = (hostname, family) =>
  new Promise((resolve, reject) => lookup(hostname, { all: true, family }, (error, addresses) => (error ? reject(error) : resolve(addresses))));

/**
 * A DNS lookup for the HTTP client that resolves the host name once and refuses the
 * connection if any address it resolves to is refused by the policy. The socket then connects
 * to an address checked here, never to a second resolution, so DNS rebinding (public when
 * asked first, 127.0.0.1 or 169.254.169.254 when connected) cannot get through; TLS still
 * verifies the certificate against the host name.
 */
export function guardedLookup(policy: TargetPolicy, resolveHost: ResolveHost = systemResolver): LookupFunction {
  return (hostname, options, callback) => {
    const family = options.family === 'IPv4' ? 4 : options.family === 'IPv6' ? 6 : (options.family ?? 0);
    resolveHost(hostname, family).then(
      (addresses) => {
        const refused = addresses.map((a) => addressRefusal(a.address, policy)).find((reason) => reason !== undefined);
        if (refused) return callback(new TargetRefusedError(`target refused: ${hostname} resolves to ${refused}`), '', 0);
        const first = addresses[0];
        if (!first) return callback(new Error(`${hostname} has no address`), '', 0);
        if (options.all) return (callback as unknown as (e: null, all: LookupAddress[]) => void)(null, addresses);
        callback(null, first.address, first.family);
      },
      (error: NodeJS.ErrnoException) => callback(error, '', 0),
    );
  };
}
