import { badIdempotencyKey } from './incident.errors';

// Printable ASCII without spaces, as the IETF Idempotency-Key draft's examples use.
const ACCEPTABLE_KEY = /^[\x21-\x7e]{1,255}$/;

/** The `Idempotency-Key` header's value, if any; a malformed one is a 400 naming the header. */
export function idempotencyKeyOf(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  if (!ACCEPTABLE_KEY.test(header)) throw badIdempotencyKey('Idempotency-Key must be 1 to 255 printable ASCII characters without spaces');
  return header;
}
