import type { DataSource, QueryRunner } from 'typeorm';

/** Quotes a Postgres identifier (schema, table), doubling embedded quotes. */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** The schema a data source works in (`public` when none is configured). */
export function dataSourceSchema(dataSource: DataSource): string {
  const options = dataSource.options;
  const schema = 'schema' in options ? options.schema : undefined;
  return typeof schema === 'string' && schema.length > 0 ? schema : 'public';
}

/**
 * The schema of the data source a migration runs on. Shared migrations (outbox, inbox,
 * dead letters) read it here, so one class serves every service's schema.
 */
export function migrationSchema(queryRunner: QueryRunner): string {
  return dataSourceSchema(queryRunner.connection);
}
