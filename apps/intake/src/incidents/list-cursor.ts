import { RequestValidationError } from '@watchfloor/platform';

/** Position in a newest-first list: the last item's receipt time and id. */
export interface ListPosition {
  receivedAt: string;
  id: string;
}

/** An opaque cursor for `?cursor=`. */
export function encodeCursor(position: ListPosition): string {
  return Buffer.from(`${position.receivedAt}|${position.id}`).toString('base64url');
}

/** Reads a cursor made by {@link encodeCursor}; anything else is a 400 naming `cursor`. */
export function decodeCursor(cursor: string): ListPosition {
  const [receivedAt, id, ...rest] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  if (!receivedAt || !id || rest.length || Number.isNaN(Date.parse(receivedAt)) || !/^[0-9a-f-]{36}$/.test(id)) {
    throw new RequestValidationError([{ field: 'cursor', message: 'cursor is not one this API returned' }]);
  }
  return { receivedAt, id };
}
