import { Client } from 'pg';

/** Counters of the run's database; each call is one transaction of the bench's own, counted. */
export interface DatabaseCounters {
  /** Transactions committed in the database (pg_stat_database.xact_commit), the bench's own included. */
  commits: number;
  rollbacks: number;
  /** Rows inserted + updated + deleted, by schema (= by service): pg_stat_user_tables. */
  rowWrites: Map<string, number>;
}

const REPORTED = 'watchfloor.incident.reported.v1';

/**
 * The bench's one connection to the run's database (application_name `wf-sysbench`). It
 * counts the transactions it makes itself, so they can be taken out of the commit counter.
 */
export class DatabaseProbe {
  /** Transactions this probe has run (each query is one). */
  ownTransactions = 0;
  private backlogQuery: string | undefined;
  private auditSequence = 0;

  private constructor(private readonly client: Client) {}

  static async connect(databaseUrl: string): Promise<DatabaseProbe> {
    const client = new Client({ connectionString: databaseUrl, application_name: 'wf-sysbench' });
    await client.connect();
    return new DatabaseProbe(client);
  }

  private async query<Row extends object>(sql: string, values: unknown[] = []): Promise<Row[]> {
    this.ownTransactions += 1;
    return (await this.client.query<Row>(sql, values)).rows;
  }

  /**
   * Work the database still holds for the system, by table: every schema's outbox rows not
   * published yet, and notification's deliveries still owed (pending or failed, to retry).
   */
  async backlogRows(): Promise<Map<string, number>> {
    this.backlogQuery ??= await this.buildBacklogQuery();
    const rows = this.backlogQuery ? await this.query<{ name: string; count: string }>(this.backlogQuery) : [];
    return new Map(rows.map((row) => [row.name, Number(row.count)]));
  }

  private async buildBacklogQuery(): Promise<string> {
    const tables = await this.query<{ schema: string; table: string }>(
      `SELECT table_schema AS schema, table_name AS table FROM information_schema.tables
        WHERE (table_name = 'outbox' AND table_schema NOT IN ('pg_catalog', 'information_schema')) OR (table_schema = 'notification' AND table_name = 'delivery')`,
    );
    const parts = tables.map(({ schema, table }) =>
      table === 'outbox'
        ? `SELECT '${schema}.outbox' AS name, count(*) FROM "${schema}".outbox WHERE published_at IS NULL`
        : `SELECT 'notification.delivery' AS name, count(*) FROM notification.delivery WHERE status IN ('pending', 'failed')`,
    );
    return parts.join(' UNION ALL ');
  }

  async counters(): Promise<DatabaseCounters> {
    const [row] = await this.query<{ commits: string; rollbacks: string; writes: Record<string, string> }>(`
      SELECT d.xact_commit AS commits, d.xact_rollback AS rollbacks,
        (SELECT coalesce(json_object_agg(schemaname, writes), '{}') FROM
          (SELECT schemaname, sum(n_tup_ins + n_tup_upd + n_tup_del) AS writes FROM pg_stat_user_tables GROUP BY schemaname) w) AS writes
      FROM pg_stat_database d WHERE d.datname = current_database()`);
    return {
      commits: Number(row?.commits ?? 0),
      rollbacks: Number(row?.rollbacks ?? 0),
      rowWrites: new Map(Object.entries(row?.writes ?? {}).map(([schema, writes]) => [schema, Number(writes)])),
    };
  }

  /** Server processes connected to the database now, with their application_name (the bench's own left out). */
  async backends(): Promise<Array<{ pid: number; app: string }>> {
    return this.query<{ pid: number; app: string }>('SELECT pid, application_name AS app FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()');
  }

  /** How many of `ids` intake has committed. */
  async committedIncidents(ids: readonly string[]): Promise<number> {
    if (ids.length === 0) return 0;
    const [row] = await this.query<{ count: string }>('SELECT count(*) FROM intake.incident WHERE id = ANY($1::uuid[])', [ids]);
    return Number(row?.count ?? 0);
  }

  /**
   * Audit entries of `incident.reported` appended since the last call: the incident and
   * `recorded_at`, which audit stamps with its own clock (ms) as it appends, just before its
   * transaction commits.
   */
  async newReportedAuditEntries(): Promise<Array<{ incidentId: string; recordedAtEpochMs: number }>> {
    const rows = await this.query<{ sequence: string; id: string; recorded_at: Date }>(
      'SELECT sequence, incident_ids[1] AS id, recorded_at FROM audit.entry WHERE type = $1 AND sequence > $2 ORDER BY sequence',
      [REPORTED, this.auditSequence],
    );
    const last = rows[rows.length - 1];
    if (last) this.auditSequence = Number(last.sequence);
    return rows.map((row) => ({ incidentId: row.id, recordedAtEpochMs: row.recorded_at.getTime() }));
  }

  async serverVersion(): Promise<string> {
    const [row] = await this.query<{ version: string }>('SELECT version()');
    return (row?.version ?? 'unknown').split(' on ')[0] ?? 'unknown';
  }

  close(): Promise<void> {
    return this.client.end();
  }
}
