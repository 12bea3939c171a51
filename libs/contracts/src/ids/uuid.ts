const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Whether `value` is a UUID in its canonical text form. Ids in paths and in events are
 * UUIDs: anything else cannot name a row, and must not reach a `uuid` column (Postgres
 * refuses the cast, failing the whole statement).
 */
export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}
