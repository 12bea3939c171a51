import { Readable } from 'node:stream';
import { Inject, Injectable } from '@nestjs/common';
import type { Caller } from '@watchfloor/platform';
import type { SignedCheckpoint } from '../chain/checkpoint-signature';
import type { AuditEntry } from '../chain/entry.record';
import { EXPORT_FORMAT } from '../chain/export-verifier';
import { SIGNING_KEY } from '../checkpoints/checkpoint.tokens';
import type { SigningKey } from '../checkpoints/signing-key';
import { AuditLogRepository } from './audit-log.repository';
import { eventVisible } from './entry.view';


const CSV_COLUMNS = ['sequence', 'event_id', 'type', 'subject', 'incident_ids', 'actor', 'tlp', 'occurred_at', 'recorded_at', 'event_hash', 'prev_hash', 'hash', 'event'];

/** RFC 4180 field: quoted when it holds a comma, quote or line break. */
function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** One JSONL line of an entry; the event's canonical JSON is copied verbatim, never re-encoded. */
export function entryLine(entry: AuditEntry, visible: boolean): string {
  const { event, ...fields } = entry;
  const head = JSON.stringify({ record: 'entry', ...fields, withheld: !visible });
  return `${head.slice(0, -1)},"event":${visible ? event : 'null'}}\n`;
}

function checkpointLine(checkpoint: SignedCheckpoint): string {
  return `${JSON.stringify({ record: 'checkpoint', ...checkpoint })}\n`;
}

function csvLine(entry: AuditEntry, visible: boolean): string {
  const values = [
    String(entry.sequence), entry.eventId, entry.type, entry.subject, entry.incidentIds.join(' '), entry.actor ?? '', entry.tlp,
    entry.occurredAt, entry.recordedAt, entry.eventHash, entry.prevHash, entry.hash, visible ? entry.event : '',
  ];
  return `${values.map(csvField).join(',')}\r\n`;
}

/**
 * Streams the chain, from the first entry to the head as it was when the export began,
 * page by page (flat memory, one chunk per page). JSONL: a header line, then every entry
 * with its hashes, each checkpoint right after the entry it signs: what `npm run
 * audit:verify` checks offline. CSV: one row per entry, for spreadsheets. Events above the
 * caller's clearance are withheld in both; their digests keep the chain verifiable.
 */
@Injectable()
export class ExportLog {
  constructor(
    @Inject(AuditLogRepository) private readonly log: AuditLogRepository,
    @Inject(SIGNING_KEY) private readonly key: SigningKey,
  ) {}

  async execute(caller: Caller, format: 'jsonl' | 'csv'): Promise<Readable> {
    const { head, checkpointsBeyondHead } = await this.log.snapshot();
    const header =
      format === 'jsonl'
        ? `${JSON.stringify({
            record: 'header',
            format: EXPORT_FORMAT,
            exportedAt: new Date().toISOString(),
            exportedBy: caller.sub,
            head: { sequence: head.sequence, hash: head.hash },
            publicKey: { algorithm: 'Ed25519', keyId: this.key.keyId, base64: this.key.publicKeyBase64 },
            // Keys of checkpoints signed before a rotation; the verifier trusts only keys it is given.
            retiredPublicKeys: this.key.retired.map((key) => ({ algorithm: 'Ed25519', keyId: key.keyId, base64: key.publicKeyBase64 })),
          })}\n`
        : `${CSV_COLUMNS.join(',')}\r\n`;
    const log = this.log;
    async function* lines(): AsyncGenerator<string> {
      yield header;
      for await (const { entries, checkpoints } of log.pages(head.sequence, 2000)) {
        const bySequence = new Map(checkpoints.map((checkpoint) => [checkpoint.sequence, checkpoint]));
        let chunk = '';
        for (const entry of entries) {
          const visible = eventVisible(caller, entry);
          if (format === 'csv') {
            chunk += csvLine(entry, visible);
            continue;
          }
          chunk += entryLine(entry, visible);
          const checkpoint = bySequence.get(entry.sequence);
          if (checkpoint) chunk += checkpointLine(checkpoint);
        }
        yield chunk;
      }
      // Normally none: a checkpoint beyond the head means entries were removed from the end.
      if (format === 'jsonl' && checkpointsBeyondHead.length > 0) yield checkpointsBeyondHead.map(checkpointLine).join('');
    }
    return Readable.from(lines(), { objectMode: false });
  }
}
