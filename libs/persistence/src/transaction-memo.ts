import type { EntityManager, QueryRunner } from 'typeorm';

/**
 * Remembers reads for the rest of a transaction. The messages of a consumer's batch share
 * one transaction, and what each of them reads alike (the live subscriptions, the on-call
 * rotation) is read once for the batch, as if they had all come when the first did. Outside
 * a transaction every read goes to the database. A read that fails is forgotten, so the
 * batch's run in savepoints reads again.
 */
export class TransactionMemo<V> {
  private readonly byTransaction = new WeakMap<QueryRunner, Map<string, Promise<V>>>();

  read(manager: EntityManager, key: string, load: () => Promise<V>): Promise<V> {
    const transaction = manager.queryRunner?.isTransactionActive ? manager.queryRunner : undefined;
    if (!transaction) return load();
    const reads = this.byTransaction.get(transaction) ?? new Map<string, Promise<V>>();
    this.byTransaction.set(transaction, reads);
    let read = reads.get(key);
    if (!read) {
      read = load();
      read.catch(() => reads.delete(key));
      reads.set(key, read);
    }
    return read;
  }
}
