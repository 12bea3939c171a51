import type { QueryRunner } from 'typeorm';

/** Quotes a Postgres identifier (schema, table), doubling embedded quotes. */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * The schema of the data source a migration runs on. Shared migrations (outbox, inbox,
 * dead letters) read it here, so one class serves every service's schema.
 */
export function migrationSchema(queryRunner: QueryRunner): string {
  const options = queryRunner.connection.options;
  const schema = 'schema' in options ? options.schema : undefined;
  return typeof schema === 'string' && schema.length > 0 ? schema : 'public';
}
