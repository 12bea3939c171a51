import type { Client } from 'pg';

/** Rows in each table of `schema`: what a refused input must leave as it was. */
export async function rowCounts(database: Client, schema: string): Promise<Record<string, number>> {
  const { rows } = await database.query<{ name: string; count: string }>(
    `SELECT c.relname AS name,
            (xpath('/row/c/text()', query_to_xml(format('SELECT count(*) AS c FROM %I.%I', n.nspname, c.relname), false, true, '')))[1]::text AS count
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relkind IN ('r', 'p')`,
    [schema],
  );
  if (rows.length === 0) throw new Error(`no tables in schema ${schema}`);
  return Object.fromEntries(rows.map((row) => [row.name, Number(row.count)]));
}
