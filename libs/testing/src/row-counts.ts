import type { Client } from 'pg';

/**
 * Tables every request may write, refused or not: the rate limit's counts (a refusal is a
 * request counted against its caller too). Nothing of the domain.
 */
const REQUEST_BOOKKEEPING = ['rate_limit_count'];

/** Rows in each table of `schema` (but {@link REQUEST_BOOKKEEPING}): what a refused input must leave as it was. */
export async function rowCounts(database: Client, schema: string): Promise<Record<string, number>> {
  const { rows } = await database.query<{ name: string; count: string }>(
    `SELECT c.relname AS name,
            (xpath('/row/c/text()', query_to_xml(format('SELECT count(*) AS c FROM %I.%I', n.nspname, c.relname), false, true, '')))[1]::text AS count
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') AND c.relname <> ALL($2)`,
    [schema, REQUEST_BOOKKEEPING],
  );
  if (rows.length === 0) throw new Error(`no tables in schema ${schema}`);
  return Object.fromEntries(rows.map((row) => [row.name, Number(row.count)]));
}
