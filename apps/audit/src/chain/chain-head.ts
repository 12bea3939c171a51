import type { EntityManager } from 'typeorm';

/** The last entry's sequence and hash, and the sequence of the last checkpoint. */
export interface ChainHead {
  sequence: number;
  hash: string;
  checkpointedSequence: number;
}

/**
 * Reads the chain head and locks it until the transaction ends: every append and every
 * checkpoint takes this lock first, so appends are serialised across replicas and the
 * chain never forks.
 */
export async function lockChainHead(manager: EntityManager): Promise<ChainHead> {
  const rows = await manager.query<Array<{ sequence: string; hash: string; checkpointed_sequence: string }>>(
    'SELECT sequence, hash, checkpointed_sequence FROM chain_head FOR UPDATE',
  );
  const row = rows[0];
  if (!row) throw new Error('audit.chain_head has no row: the migration did not run');
  return { sequence: Number(row.sequence), hash: row.hash, checkpointedSequence: Number(row.checkpointed_sequence) };
}

/** Moves the head; call with the lock of {@link lockChainHead} held. */
export async function moveChainHead(manager: EntityManager, head: ChainHead): Promise<void> {
  await manager.query('UPDATE chain_head SET sequence = $1, hash = $2, checkpointed_sequence = $3', [head.sequence, head.hash, head.checkpointedSequence]);
}
