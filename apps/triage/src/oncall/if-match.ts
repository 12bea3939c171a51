import { RequestValidationError } from '@watchfloor/platform';

/** The version an `If-Match: "<version>"` header asks for; undefined without the header. */
export function versionFromIfMatch(header: string | undefined): number | undefined {
  if (header === undefined) return undefined;
  const match = /^\s*(?:W\/)?"?(\d{1,9})"?\s*$/.exec(header);
  if (!match) throw new RequestValidationError([{ field: 'If-Match', message: 'If-Match must be the quoted version from the ETag, e.g. "3"' }]);
  return Number(match[1]);
}
