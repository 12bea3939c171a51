import { RequestValidationError } from '@watchfloor/platform';

/** One page of a newest-first list (API.md: `{ items, nextCursor }`). */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** Position in a newest-first list: the last item's time and id. */
export interface ListPosition {
  at: string;
  id: string;
}

/** An opaque cursor for `?cursor=`. */
export function encodeCursor(position: ListPosition): string {
  return Buffer.from(`${position.at}|${position.id}`).toString('base64url');
}

/** Reads a cursor made by {@link encodeCursor}; anything else is a 400 naming `cursor`. */
export function decodeCursor(cursor: string): ListPosition {
  const [at, id, ...rest] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  if (!at || !id || rest.length || Number.isNaN(Date.parse(at)) || !/^[0-9a-f-]{36}$/.test(id)) {
    throw new RequestValidationError([{ field: 'cursor', message: 'cursor is not one this API returned' }]);
  }
  return { at, id };
}
