import type { Client } from 'pg';
import { expectEventually } from '@watchfloor/testing';
import { entryHash } from '../src/chain/chain-hash';
import { parsePublicKey, type SignedCheckpoint } from '../src/chain/checkpoint-signature';
import { verifyExport } from '../src/chain/export-verifier';
import { json, startAudit, type AuditUnderTest } from './harness';
import { anIncidentFlow } from './incident-flow';

interface Verdict {
  valid: boolean;
  entries: number;
  firstInvalidSequence?: number;
  reason?: string;
}

/** Runs `work` as a superuser who has switched the append-only trigger off. */
async function withTriggerOff(sql: Client, work: () => Promise<unknown>): Promise<void> {
  await sql.query('BEGIN');
  try {
    await sql.query('ALTER TABLE audit.entry DISABLE TRIGGER entry_append_only');
    await sql.query('ALTER TABLE audit.checkpoint DISABLE TRIGGER checkpoint_append_only');
    await work();
    await sql.query('ALTER TABLE audit.checkpoint ENABLE TRIGGER checkpoint_append_only');
    await sql.query('ALTER TABLE audit.entry ENABLE TRIGGER entry_append_only');
    await sql.query('COMMIT');
  } catch (error) {
    await sql.query('ROLLBACK');
    throw error;
  }
}

describe('no one can quietly change the chain', () => {
  let audit: AuditUnderTest;
  let token: string;
  let original: { entries: unknown; head: unknown; checkpoints: unknown };
  const verify = () => json<Verdict>(audit.request('GET', '/v1/audit/verify', { token }));

  beforeAll(async () => {
    // Checkpoints only when the test asks for them.
    audit = await startAudit({ AUDIT_CHECKPOINT_EVERY: '1000000', AUDIT_CHECKPOINT_INTERVAL_MS: '86400000' });
    token = await audit.token();
    await audit.publish(anIncidentFlow());
    await audit.waitForEntries(13);
    expect(await audit.checkpointNow()).toMatchObject({ sequence: 13 });
    await audit.publish(anIncidentFlow());
    await audit.waitForEntries(26);
    expect(await audit.checkpointNow()).toMatchObject({ sequence: 26 });
    const { rows } = await audit.sql.query<typeof original>(
      `SELECT (SELECT json_agg(e ORDER BY sequence) FROM audit.entry e) AS entries, (SELECT row_to_json(h) FROM audit.chain_head h) AS head,
              (SELECT json_agg(c) FROM audit.checkpoint c) AS checkpoints`,
    );
    original = rows[0] ?? { entries: [], head: {}, checkpoints: [] };
  });
  afterEach(async () => {
    // Put the chain back as it was, so each tampering is found on its own.
    await withTriggerOff(audit.sql, async () => {
      await audit.sql.query('DELETE FROM audit.entry');
      await audit.sql.query('INSERT INTO audit.entry SELECT * FROM json_populate_recordset(NULL::audit.entry, $1)', [JSON.stringify(original.entries)]);
      await audit.sql.query('UPDATE audit.chain_head h SET sequence = o.sequence, hash = o.hash, checkpointed_sequence = o.checkpointed_sequence FROM json_populate_record(NULL::audit.chain_head, $1) o', [JSON.stringify(original.head)]);
      await audit.sql.query('DELETE FROM audit.checkpoint');
      await audit.sql.query('INSERT INTO audit.checkpoint SELECT * FROM json_populate_recordset(NULL::audit.checkpoint, $1)', [JSON.stringify(original.checkpoints)]);
    });
    expect(await verify()).toMatchObject({ valid: true, entries: 26 });
  });
  afterAll(async () => {
    await audit.close();
  });

  it('refuses UPDATE, DELETE and TRUNCATE of entries and checkpoints, even from a superuser, while the trigger is on', async () => {
    for (const statement of [
      "UPDATE audit.entry SET actor = 'someone-else' WHERE sequence = 1",
      'DELETE FROM audit.entry WHERE sequence = 26',
      'TRUNCATE audit.entry',
      "UPDATE audit.checkpoint SET hash = repeat('0', 64)",
      'DELETE FROM audit.checkpoint',
    ]) {
      await expect(audit.sql.query(statement)).rejects.toThrow(/append-only/);
    }
    expect(await audit.entryCount()).toBe(26);
  });

  it('finds an event altered by a superuser at its sequence', async () => {
    // The two streams are recorded by two consumers, so where the note landed in the chain varies.
    const { rows } = await audit.sql.query<{ sequence: string }>(`SELECT min(sequence) AS sequence FROM audit.entry WHERE event LIKE '%Called the clerk.%'`);
    const noted = Number(rows[0]?.sequence);
    await withTriggerOff(audit.sql, () => audit.sql.query(`UPDATE audit.entry SET event = replace(event, 'Called the clerk.', 'Did not call.') WHERE sequence = $1`, [noted]));
    expect(await verify()).toMatchObject({ valid: false, firstInvalidSequence: noted, reason: expect.stringContaining(`event of entry ${noted} was altered`) });
  });

  it('finds an altered column (who did it) at its sequence', async () => {
    await withTriggerOff(audit.sql, () => audit.sql.query(`UPDATE audit.entry SET actor = 'nobody' WHERE sequence = 4`));
    expect(await verify()).toMatchObject({ valid: false, firstInvalidSequence: 4, reason: 'entry 4 was altered' });
  });

  it('finds a deleted entry at its sequence', async () => {
    await withTriggerOff(audit.sql, () => audit.sql.query('DELETE FROM audit.entry WHERE sequence = 5'));
    expect(await verify()).toMatchObject({ valid: false, firstInvalidSequence: 5, reason: 'entry 5 is missing' });
  });

  it('finds two swapped entries at the first of them', async () => {
    await withTriggerOff(audit.sql, async () => {
      await audit.sql.query('UPDATE audit.entry SET sequence = sequence + 1000 WHERE sequence IN (9, 10)');
      await audit.sql.query('UPDATE audit.entry SET sequence = CASE sequence WHEN 1009 THEN 10 ELSE 9 END WHERE sequence IN (1009, 1010)');
    });
    expect(await verify()).toMatchObject({ valid: false, firstInvalidSequence: 9 });
  });

  /** Changes entry 16 and re-links 16..26 so the chain is consistent again: only a signature can tell. */
  const rewriteFrom16 = async () => {
    await audit.sql.query(`UPDATE audit.entry SET actor = 'nobody' WHERE sequence = 16`);
    const { rows } = await audit.sql.query<Record<string, unknown>>('SELECT * FROM audit.entry WHERE sequence >= 15 ORDER BY sequence');
    let prev = String(rows[0]?.['hash']);
    for (const row of rows.slice(1)) {
      const hash = entryHash(prev, {
        sequence: Number(row['sequence']), eventId: String(row['event_id']), type: String(row['type']), subject: String(row['subject']),
        incidentIds: row['incident_ids'] as string[], actor: row['actor'] as string | null, tlp: String(row['tlp']),
        occurredAt: (row['occurred_at'] as Date).toISOString(), recordedAt: (row['recorded_at'] as Date).toISOString(), eventHash: String(row['event_hash']),
      });
      await audit.sql.query('UPDATE audit.entry SET prev_hash = $1, hash = $2 WHERE sequence = $3', [prev, hash, row['sequence']]);
      prev = hash;
    }
    await audit.sql.query('UPDATE audit.chain_head SET hash = $1', [prev]);
  };

  it('finds a rewrite that recomputed every hash through the signed checkpoint after it', async () => {
    await withTriggerOff(audit.sql, rewriteFrom16);
    expect(await verify()).toMatchObject({ valid: false, firstInvalidSequence: 14, reason: 'entries 14..26 no longer match signed checkpoint 26' });
  });

  it('a superuser who also deletes the stored checkpoints fools verify, but not the checkpoints published on the AUDIT stream', async () => {
    // What a partner or oversight body subscribed to audit.checkpoint.us kept.
    const stream = audit.topology.streamName('AUDIT');
    const published = await expectEventually(async () => {
      const { state } = await audit.connection.jsm.streams.info(stream);
      expect(state.messages).toBe(2);
      const events = [];
      for (let seq = state.first_seq; seq <= state.last_seq; seq++) events.push((await audit.connection.jsm.streams.getMessage(stream, { seq }))?.json<{ data: SignedCheckpoint }>());
      return events.map((event) => event?.data).filter((checkpoint): checkpoint is SignedCheckpoint => checkpoint !== undefined);
    });
    await withTriggerOff(audit.sql, async () => {
      await rewriteFrom16();
      await audit.sql.query('DELETE FROM audit.checkpoint WHERE sequence > 13');
      await audit.sql.query('UPDATE audit.chain_head SET checkpointed_sequence = 13');
    });
    // The database alone now tells a consistent story...
    expect(await verify()).toMatchObject({ valid: true, entriesAfterLastCheckpoint: 13 });
    // ...which the checkpoints kept outside refute.
    const exported = await (await audit.request('GET', '/v1/audit/export', { token })).text();
    const { base64 } = await json<{ base64: string }>(audit.request('GET', '/v1/audit/public-key', { token }));
    const report = await verifyExport(
      (async function* () {
        yield* exported.split('\n');
      })(),
      { publicKey: parsePublicKey(base64), checkpoints: published },
    );
    expect(report).toMatchObject({ valid: false, firstInvalidSequence: 14, reason: 'entries 14..26 no longer match signed checkpoint 26' });
  });

  it('finds entries removed from the end through the checkpoint that signed them', async () => {
    await withTriggerOff(audit.sql, async () => {
      await audit.sql.query('DELETE FROM audit.entry WHERE sequence > 24');
      await audit.sql.query('UPDATE audit.chain_head SET sequence = 24, hash = (SELECT hash FROM audit.entry WHERE sequence = 24)');
    });
    expect(await verify()).toMatchObject({ valid: false, firstInvalidSequence: 25, reason: expect.stringContaining('checkpoint 26 was signed but the chain ends at 24') });
  });
});
