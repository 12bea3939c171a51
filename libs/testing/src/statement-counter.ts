/** A TypeORM `EntityManager` of a transaction, as far as counting needs it. */
interface TransactionManager {
  queryRunner?: { query(...args: unknown[]): Promise<unknown> };
}

/**
 * Counts the statements sent on a transaction's connection from now on (its COMMIT
 * included, which goes through the same `query`); call the returned function for the count.
 */
export function countStatements(manager: TransactionManager): () => number {
  const runner = manager.queryRunner;
  if (!runner) throw new Error('countStatements needs a transaction’s manager (it has no query runner)');
  let statements = 0;
  const query = runner.query.bind(runner);
  runner.query = (...args: unknown[]) => {
    statements += 1;
    return query(...args);
  };
  return () => statements;
}
