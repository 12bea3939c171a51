import * as ipaddr from 'ipaddr.js';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { parse as parseDomain } from 'tldts';
import { OBSERVABLE_TYPES, type ObservableType } from '../domain/observable-types';
import { isOneOf } from '../domain/incident';
import { memoizeString } from './memo';

/** Outcome of normalising one observable value. */
export type NormalizeResult = { ok: true; value: string } | { ok: false; message: string };

/** Longest observable value accepted, before normalisation (URLs are the long ones). */
export const OBSERVABLE_VALUE_MAX_LENGTH = 2048;
/** Longest file name, in UTF-8 bytes, as on common file systems. */
export const FILE_NAME_MAX_BYTES = 255;

const ok = (value: string): NormalizeResult => Object.freeze({ ok: true, value });
const fail = (message: string): NormalizeResult => Object.freeze({ ok: false, message });

/**
 * Undoes the usual "defanging" analysts apply before sharing indicators by e-mail
 * (`hxxp://`, `example[.]com`, `user[@]host`), so shared reports correlate with raw ones.
 */
function refang(value: string): string {
  return value
    .replace(/^hxxp(s?):\/\//i, 'http$1://')
    .replace(/\[\.\]|\(\.\)|\{\.\}|\[dot\]/gi, '.')
    .replace(/\[:\]/g, ':')
    .replace(/\[@\]|\[at\]/gi, '@');
}

function normalizeIpv4(raw: string): NormalizeResult {
  const value = refang(raw);
  // Four-part decimal only: `01.2.3.4` (octal?) and `1.2.3` are ambiguous, so rejected.
  if (!ipaddr.IPv4.isValidFourPartDecimal(value)) return fail('must be an IPv4 address in dotted-decimal form');
  return ok(ipaddr.IPv4.parse(value).toString());
}

function normalizeIpv6(raw: string): NormalizeResult {
  const value = raw.replace(/^\[(.*)\]$/, '$1');
  if (value.includes('%')) return fail('must be an IPv6 address without a zone id');
  if (!ipaddr.IPv6.isValid(value)) return fail('must be an IPv6 address');
  return ok(ipaddr.IPv6.parse(value).toRFC5952String());
}

const LABEL_PATTERN = /^[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?$/;

/** Lower-case, punycoded domain with a registrable part under an ICANN public suffix. */
export function normalizeDomain(raw: string): NormalizeResult {
  const value = refang(raw).toLowerCase().replace(/\.$/, '');
  if (/[\s/:@*?#\\]/.test(value)) return fail('must be a bare domain name (no scheme, port, path or wildcard)');
  let ascii: string;
  try {
    // WHATWG URL applies IDNA (UTS #46): `bücher.de` -> `xn--bcher-kva.de`.
    ascii = new URL(`http://${value}`).hostname;
  } catch {
    return fail('must be a domain name');
  }
  const parsed = parseDomain(ascii);
  if (parsed.isIp) return fail('must be a domain name, not an IP address (use type ipv4 or ipv6)');
  if (ascii.length > 253 || !ascii.split('.').every((label) => LABEL_PATTERN.test(label))) {
    return fail('must be a domain name of valid labels');
  }
  if (parsed.isIcann !== true || parsed.domain === null) return fail('must be a domain under a public suffix');
  return ok(ascii);
}

const URL_SCHEMES = new Set(['http:', 'https:', 'ftp:']);

function normalizeUrl(raw: string): NormalizeResult {
  let url: URL;
  try {
    url = new URL(refang(raw));
  } catch {
    return fail('must be an absolute URL');
  }
  if (!URL_SCHEMES.has(url.protocol)) return fail('must be an http, https or ftp URL');
  if (url.hostname === '') return fail('must have a host');
  // The fragment never reaches the server, so two URLs differing only in it are one indicator.
  url.hash = '';
  return ok(url.href);
}

const LOCAL_PART_PATTERN = /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;

/** Lower-cased `local@domain` with the domain normalised like a `domain` observable. */
export function normalizeEmail(raw: string): NormalizeResult {
  const value = refang(raw).toLowerCase();
  const at = value.lastIndexOf('@');
  if (at <= 0) return fail('must be an e-mail address');
  const local = value.slice(0, at);
  if (local.length > 64 || !LOCAL_PART_PATTERN.test(local)) return fail('must be an e-mail address with a plain local part');
  const domain = normalizeDomain(value.slice(at + 1));
  if (!domain.ok) return fail(`must be an e-mail address whose domain ${domain.message}`);
  const address = `${local}@${domain.value}`;
  return address.length > 254 ? fail('must be an e-mail address of at most 254 characters') : ok(address);
}

function normalizeHex(raw: string, length: number, name: string): NormalizeResult {
  return new RegExp(`^[0-9a-f]{${length}}$`, 'i').test(raw) ? ok(raw.toLowerCase()) : fail(`must be a ${name} of ${length} hex digits`);
}

/** E.164 form of a phone number; numbers without a country code are read as US numbers. */
export const normalizePhone: (raw: string) => NormalizeResult = memoizeString((raw) => {
  const phone = parsePhoneNumberFromString(raw, 'US');
  return phone?.isValid() ? ok(phone.number) : fail('must be a valid phone number');
});

// `platform:@handle`; handles are case-insensitive on the platforms election offices see.
const SOCIAL_HANDLE_PATTERN = /^(?:([a-z][a-z0-9_.-]{0,31}):)?@?([a-z0-9_][a-z0-9_.-]{0,99})(?:@([^@\s]+))?$/;
const PLATFORM_ALIASES: Readonly<Record<string, string>> = { twitter: 'x' };

/**
 * `[platform:]@handle[@instance]`, lower-cased, e.g. `x:@board_of_elections`, `@someone`,
 * `mastodon:@user@mastodon.social`; the `@` before the handle is added when missing.
 */
function normalizeSocialHandle(raw: string): NormalizeResult {
  const match = SOCIAL_HANDLE_PATTERN.exec(raw.toLowerCase());
  if (!match) return fail('must be a social handle: [platform:]@handle, e.g. x:@example');
  const [, platform, handle, instance] = match;
  let suffix = '';
  if (instance !== undefined) {
    const domain = normalizeDomain(instance);
    if (!domain.ok) return fail(`must be a social handle whose instance ${domain.message}`);
    suffix = `@${domain.value}`;
  }
  const prefix = platform ? `${PLATFORM_ALIASES[platform] ?? platform}:` : '';
  return ok(`${prefix}@${handle}${suffix}`);
}

// eslint-disable-next-line no-control-regex
const FILE_NAME_FORBIDDEN = /[/\\\u0000-\u001f\u007f]/;

/** A bare file name (no directory), NFC-normalised; case is kept, file systems differ on it. */
function normalizeFileName(raw: string): NormalizeResult {
  const value = raw.normalize('NFC');
  if (FILE_NAME_FORBIDDEN.test(value)) return fail('must be a file name without path separators or control characters');
  if (value === '.' || value === '..') return fail('must be a file name');
  if (Buffer.byteLength(value, 'utf8') > FILE_NAME_MAX_BYTES) return fail(`must be at most ${FILE_NAME_MAX_BYTES} bytes`);
  return ok(value);
}

const NORMALIZERS: Readonly<Record<ObservableType, (raw: string) => NormalizeResult>> = {
  ipv4: normalizeIpv4,
  ipv6: normalizeIpv6,
  domain: normalizeDomain,
  url: normalizeUrl,
  email: normalizeEmail,
  sha256: (raw) => normalizeHex(raw, 64, 'SHA-256 hash'),
  md5: (raw) => normalizeHex(raw, 32, 'MD5 hash'),
  phone: normalizePhone,
  social_handle: normalizeSocialHandle,
  file_name: normalizeFileName,
};

const MEMOIZED_NORMALIZERS = Object.fromEntries(
  Object.entries(NORMALIZERS).map(([type, normalize]) => [type, memoizeString(normalize)]),
) as typeof NORMALIZERS;

/**
 * Validates an observable value for its type and returns its normalised form, the form
 * that is stored and compared by correlation. Surrounding white space is ignored.
 */
export function normalizeObservable(type: ObservableType, value: string): NormalizeResult {
  if (!isOneOf(OBSERVABLE_TYPES, type)) return fail(`type must be one of ${OBSERVABLE_TYPES.join(', ')}`);
  if (typeof value !== 'string') return fail('must be a string');
  const trimmed = value.trim();
  if (trimmed.length === 0) return fail('must not be empty');
  if (trimmed.length > OBSERVABLE_VALUE_MAX_LENGTH) return fail(`must be at most ${OBSERVABLE_VALUE_MAX_LENGTH} characters`);
  return MEMOIZED_NORMALIZERS[type](trimmed);
}
