import { DataSource, type DataSourceOptions } from 'typeorm';
import { quoteIdent } from './migration-schema';
import { SnakeNamingStrategy } from './snake-naming.strategy';

/** What a service needs to say about its database. */
export interface ServiceDataSourceOptions {
  /** `postgres://user:pass@host:5432/db` */
  url: string;
  /** The one schema this service owns (`intake`, `triage`, ...). */
  schema: string;
  /** Migration classes (or globs), run in order at start-up. */
  migrations?: DataSourceOptions['migrations'];
  /** Entity classes (or globs). */
  entities?: DataSourceOptions['entities'];
  /** Connections in the pool (default 10). */
  poolSize?: number;
  /** Shown in `pg_stat_activity` (default: the schema). */
  applicationName?: string;
  /** Name of the migrations table inside the schema (default `migrations`). */
  migrationsTableName?: string;
  /** Run pending migrations in {@link createServiceDataSource} (default true). */
  runMigrations?: boolean;
}

/**
 * The TypeORM options every service uses: its schema, its own migrations table in that
 * schema, snake_case names, never `synchronize`. Pure, so the TypeORM CLI's data source
 * file can build the same options.
 */
export function serviceDataSourceOptions(options: ServiceDataSourceOptions): DataSourceOptions {
  return {
    type: 'postgres',
    url: options.url,
    schema: options.schema,
    entities: options.entities ?? [],
    migrations: options.migrations ?? [],
    migrationsTableName: options.migrationsTableName ?? 'migrations',
    migrationsTransactionMode: 'each',
    namingStrategy: new SnakeNamingStrategy(),
    synchronize: false,
    poolSize: options.poolSize ?? 10,
    applicationName: options.applicationName ?? options.schema,
    // Unqualified names in migrations and queries mean this service's schema.
    extra: { options: `-c search_path=${quoteIdent(options.schema)}` },
  };
}

/**
 * Builds and initializes a service's data source: creates its schema if missing (TypeORM
 * does not), runs pending migrations (one transaction each), and returns it ready to use.
 * Replicas starting together serialize on an advisory lock per schema, so neither
 * `CREATE SCHEMA` nor a migration runs twice at once.
 */
export async function createServiceDataSource(options: ServiceDataSourceOptions): Promise<DataSource> {
  const dataSource = new DataSource(serviceDataSourceOptions(options));
  await dataSource.initialize();
  try {
    await prepareSchema(dataSource, options.schema, options.runMigrations ?? true);
  } catch (error) {
    await dataSource.destroy();
    throw error;
  }
  return dataSource;
}

async function prepareSchema(dataSource: DataSource, schema: string, runMigrations: boolean): Promise<void> {
  const lock = dataSource.createQueryRunner();
  await lock.connect();
  try {
    // Session-level lock on its own connection; migrations use other pool connections.
    await lock.query('SELECT pg_advisory_lock(hashtext($1))', [`watchfloor:migrate:${schema}`]);
    try {
      // Postgres checks the database-level CREATE right before IF NOT EXISTS, so a
      // least-privilege role that owns an existing schema would be refused: look first.
      const existing: unknown[] = await lock.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema]);
      if (existing.length === 0) await lock.query(`CREATE SCHEMA ${quoteIdent(schema)}`);
      if (runMigrations) await dataSource.runMigrations({ transaction: 'each' });
    } finally {
      await lock.query('SELECT pg_advisory_unlock(hashtext($1))', [`watchfloor:migrate:${schema}`]);
    }
  } finally {
    await lock.release();
  }
}
