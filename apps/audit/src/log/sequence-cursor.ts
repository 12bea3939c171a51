import { RequestValidationError } from '@watchfloor/platform';

/** An opaque `?cursor=` for lists ordered by sequence: the last sequence of the page. */
export function encodeCursor(sequence: number): string {
  return Buffer.from(`seq:${sequence}`).toString('base64url');
}

/** Reads a cursor made by {@link encodeCursor}; anything else is a 400 naming `cursor`. */
export function decodeCursor(cursor: string): number {
  const match = /^seq:(\d{1,15})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match?.[1]) throw new RequestValidationError([{ field: 'cursor', message: 'cursor is not one this API returned' }]);
  return Number(match[1]);
}
