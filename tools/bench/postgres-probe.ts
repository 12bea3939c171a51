import { Client } from 'pg';
import { testPostgresUrl } from '@watchfloor/testing';

/** What Postgres says about the spawned intake's database. */
export interface DatabaseSample {
  /** Server processes connected to the database (intake's pool). */
  backendPids: number[];
  /** Committed transactions so far, group commits and relay batches alike. */
  commits: number;
}

/** Samples the database through the server's `postgres` database (the bench's own queries stay out of the figures). */
export async function sampleDatabase(database: string): Promise<DatabaseSample> {
  const admin = new URL(testPostgresUrl());
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const backends = await client.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = $1', [database]);
    // Backends publish their counters about once a second, so this is good to a second's work.
    const stats = await client.query<{ commits: string }>('SELECT xact_commit AS commits FROM pg_stat_database WHERE datname = $1', [database]);
    return { backendPids: backends.rows.map((row) => row.pid), commits: Number(stats.rows[0]?.commits ?? 0) };
  } finally {
    await client.end();
  }
}
