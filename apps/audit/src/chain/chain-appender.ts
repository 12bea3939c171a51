import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { inTransaction } from '@watchfloor/persistence';
import { gauge } from '@watchfloor/platform';
import { DataSource, type EntityManager } from 'typeorm';
import { Checkpointer } from '../checkpoints/checkpointer';
import { entryHash, sha256Hex } from './chain-hash';
import { lockChainHead, moveChainHead, type ChainHead } from './chain-head';
import type { AuditEntry, NewEntry } from './entry.record';

/** What one append did. */
export interface AppendOutcome {
  appended: number;
  /** Events already in the chain (redelivered or replayed), dropped. */
  repeats: number;
  head: ChainHead;
}

const chainLength = gauge({ name: 'watchfloor_audit_chain_length', help: 'Sequence of the last entry of the audit chain' });

// 13 parameters a row; Postgres takes at most 65535 in one statement.
const ROWS_PER_INSERT = 1000;

/**
 * Appends events to the chain, many in one transaction: it locks the chain head, drops
 * events already recorded (the unique event id is audit's inbox: one entry per event,
 * whatever is redelivered or replayed), links the others in the order given, inserts them,
 * moves the head and signs a checkpoint when one is due, then commits.
 */
@Injectable()
export class ChainAppender implements OnApplicationBootstrap {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(Checkpointer) private readonly checkpointer: Checkpointer,
  ) {}

  /** Shows the chain's length from the start, not only after this process's first append. */
  async onApplicationBootstrap(): Promise<void> {
    const [head] = await this.dataSource.query<Array<{ sequence: string }>>('SELECT sequence FROM chain_head');
    chainLength.set(Number(head?.sequence ?? 0));
  }

  async append(entries: readonly NewEntry[]): Promise<AppendOutcome> {
    const outcome = await inTransaction(this.dataSource, async (manager) => {
      let head = await lockChainHead(manager);
      const links = await this.link(manager, head, entries);
      const last = links[links.length - 1];
      if (last) {
        for (let i = 0; i < links.length; i += ROWS_PER_INSERT) await insertEntries(manager, links.slice(i, i + ROWS_PER_INSERT));
        head = { ...head, sequence: last.sequence, hash: last.hash };
        if (this.checkpointer.isDue(head)) {
          head = (await this.checkpointer.sign(manager, head)).head;
        }
        await moveChainHead(manager, head);
      }
      return { appended: links.length, repeats: entries.length - links.length, head };
    });
    chainLength.set(outcome.head.sequence);
    return outcome;
  }

  private async link(manager: EntityManager, head: ChainHead, entries: readonly NewEntry[]): Promise<AuditEntry[]> {
    const ids = [...new Set(entries.map((entry) => entry.eventId))];
    const recorded = await manager.query<Array<{ event_id: string }>>('SELECT event_id FROM entry WHERE event_id = ANY($1::uuid[])', [ids]);
    const seen = new Set(recorded.map((row) => row.event_id));
    // The database's clock, read under the head lock: one clock for every replica, never going back.
    const [clock] = await manager.query<Array<{ now: Date }>>('SELECT clock_timestamp() AS now');
    const recordedAt = (clock?.now ?? new Date()).toISOString();
    const links: AuditEntry[] = [];
    let { sequence, hash } = head;
    for (const entry of entries) {
      if (seen.has(entry.eventId)) continue;
      seen.add(entry.eventId);
      sequence += 1;
      const fields = { ...entry, sequence, recordedAt, eventHash: sha256Hex(entry.event) };
      const next = entryHash(hash, fields);
      links.push({ ...fields, prevHash: hash, hash: next });
      hash = next;
    }
    return links;
  }
}

async function insertEntries(manager: EntityManager, links: readonly AuditEntry[]): Promise<void> {
  const values: string[] = [];
  const params: unknown[] = [];
  for (const link of links) {
    const n = params.length;
    values.push(`($${n + 1}, $${n + 2}, $${n + 3}, $${n + 4}, $${n + 5}::uuid[], $${n + 6}, $${n + 7}, $${n + 8}, $${n + 9}, $${n + 10}, $${n + 11}, $${n + 12}, $${n + 13})`);
    params.push(
      link.sequence, link.eventId, link.type, link.subject, link.incidentIds, link.actor, link.tlp,
      link.occurredAt, link.recordedAt, link.event, link.eventHash, link.prevHash, link.hash,
    );
  }
  await manager.query(
    `INSERT INTO entry (sequence, event_id, type, subject, incident_ids, actor, tlp, occurred_at, recorded_at, event, event_hash, prev_hash, hash) VALUES ${values.join(', ')}`,
    params,
  );
}
