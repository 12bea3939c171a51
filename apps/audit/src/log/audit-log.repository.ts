import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { ChainHead } from '../chain/chain-head';
import type { SignedCheckpoint } from '../chain/checkpoint-signature';
import { ENTRY_COLUMNS, entryOfRow, type AuditEntry, type EntryRow } from '../chain/entry.record';

/** Filters of the entry list; all optional. */
export interface EntryFilter {
  incidentId?: string;
  type?: string;
  actor?: string;
  /** Occurred at or after. */
  since?: Date;
  /** Occurred before. */
  until?: Date;
  /** Entries after this sequence (the cursor). */
  afterSequence?: number;
}

interface CheckpointRow {
  sequence: string;
  hash: string;
  signed_at: Date;
  signature: string;
  key_id: string;
}

function checkpointOfRow(row: CheckpointRow): SignedCheckpoint {
  return { sequence: Number(row.sequence), hash: row.hash, at: row.signed_at.toISOString(), signature: row.signature, keyId: row.key_id };
}

/** A page of the chain: its entries and the checkpoints that sign one of them. */
export interface ChainPage {
  entries: AuditEntry[];
  checkpoints: SignedCheckpoint[];
}

/** Reads of the chain: lists, pages for verify and export, checkpoints, the head. Entries are never changed. */
@Injectable()
export class AuditLogRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  /** Entries matching `filter`, by sequence, at most `limit`. */
  async list(filter: EntryFilter, limit: number): Promise<AuditEntry[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (clause: (placeholder: string) => string, value: unknown) => {
      params.push(value);
      where.push(clause(`$${params.length}`));
    };
    if (filter.incidentId !== undefined) add((p) => `incident_ids @> ARRAY[${p}]::uuid[]`, filter.incidentId);
    if (filter.type !== undefined) add((p) => `type = ${p}`, filter.type);
    if (filter.actor !== undefined) add((p) => `actor = ${p}`, filter.actor);
    if (filter.since !== undefined) add((p) => `occurred_at >= ${p}`, filter.since);
    if (filter.until !== undefined) add((p) => `occurred_at < ${p}`, filter.until);
    if (filter.afterSequence !== undefined) add((p) => `sequence > ${p}`, filter.afterSequence);
    params.push(limit);
    const rows = await this.dataSource.query<EntryRow[]>(
      `SELECT ${ENTRY_COLUMNS} FROM entry ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY sequence LIMIT $${params.length}`,
      params,
    );
    return rows.map(entryOfRow);
  }

  /**
   * Every entry from 1 to `upTo`, in pages read by key (never OFFSET, never all at once),
   * each with the checkpoints signing an entry of that page, so verify and export stay flat
   * in memory and linear in time for millions of entries and checkpoints (the checkpointer
   * signs up to one a minute: half a million a year). Entries and checkpoints are
   * immutable, so pages read one after the other form a consistent whole.
   */
  async *pages(upTo: number, pageSize = 5000): AsyncGenerator<ChainPage> {
    let after = 0;
    while (after < upTo) {
      const rows = await this.dataSource.query<EntryRow[]>(
        `SELECT ${ENTRY_COLUMNS} FROM entry WHERE sequence > $1 AND sequence <= $2 ORDER BY sequence LIMIT $3`,
        [after, upTo, pageSize],
      );
      const last = rows[rows.length - 1];
      if (!last) return;
      const checkpoints = await this.dataSource.query<CheckpointRow[]>(
        'SELECT sequence, hash, signed_at, signature, key_id FROM checkpoint WHERE sequence > $1 AND sequence <= $2 ORDER BY sequence',
        [after, last.sequence],
      );
      yield { entries: rows.map(entryOfRow), checkpoints: checkpoints.map(checkpointOfRow) };
      after = Number(last.sequence);
    }
  }

  /**
   * The head and the checkpoints beyond it (normally none: one there means entries were
   * removed from the end), read in one statement so they belong to the same moment: a
   * checkpoint is written in the transaction that moves the head. Checkpoints up to the
   * head come with the {@link pages} they sign.
   */
  async snapshot(): Promise<{ head: ChainHead; checkpointsBeyondHead: SignedCheckpoint[] }> {
    const rows = await this.dataSource.query<Array<{ sequence: string; hash: string; checkpointed_sequence: string; checkpoints: Array<Omit<CheckpointRow, 'signed_at'> & { signed_at: string }> | null }>>(
      `SELECT h.sequence, h.hash, h.checkpointed_sequence,
              (SELECT json_agg(c ORDER BY c.sequence) FROM (SELECT sequence, hash, signed_at, signature, key_id FROM checkpoint WHERE sequence > h.sequence) c) AS checkpoints
         FROM chain_head h`,
    );
    const row = rows[0];
    if (!row) throw new Error('audit.chain_head has no row');
    return {
      head: { sequence: Number(row.sequence), hash: row.hash, checkpointedSequence: Number(row.checkpointed_sequence) },
      checkpointsBeyondHead: (row.checkpoints ?? []).map((c) => checkpointOfRow({ ...c, signed_at: new Date(c.signed_at) })),
    };
  }

  /** Checkpoints newest first, before `beforeSequence` when given. */
  async latestCheckpoints(limit: number, beforeSequence?: number): Promise<SignedCheckpoint[]> {
    const rows = await this.dataSource.query<CheckpointRow[]>(
      `SELECT sequence, hash, signed_at, signature, key_id FROM checkpoint ${beforeSequence !== undefined ? 'WHERE sequence < $2' : ''} ORDER BY sequence DESC LIMIT $1`,
      beforeSequence !== undefined ? [limit, beforeSequence] : [limit],
    );
    return rows.map(checkpointOfRow);
  }
}
