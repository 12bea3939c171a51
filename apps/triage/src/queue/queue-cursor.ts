import { RequestValidationError } from '@watchfloor/platform';

/** Position in the queue: the last item's priority rank, receipt time and id. */
export interface QueuePosition {
  rank: number;
  receivedAt: string;
  id: string;
}

export function encodeQueueCursor(position: QueuePosition): string {
  return Buffer.from(`${position.rank}|${position.receivedAt}|${position.id}`).toString('base64url');
}

/** Reads a cursor made by {@link encodeQueueCursor}; anything else is a 400 naming `cursor`. */
export function decodeQueueCursor(cursor: string): QueuePosition {
  const [rank, receivedAt, id, ...rest] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  if (!rank || !/^\d$/.test(rank) || !receivedAt || Number.isNaN(Date.parse(receivedAt)) || !id || !/^[0-9a-f-]{36}$/.test(id) || rest.length > 0) {
    throw new RequestValidationError([{ field: 'cursor', message: 'cursor is not one this API returned' }]);
  }
  return { rank: Number(rank), receivedAt, id };
}
