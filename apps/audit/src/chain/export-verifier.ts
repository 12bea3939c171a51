import type { KeyObject } from 'node:crypto';
import { canonicalJson } from './chain-hash';
import { ChainVerifier, type ChainReport } from './chain-verifier';
import { keyIdOf, type SignedCheckpoint } from './checkpoint-signature';

/** The export format this verifier reads. */
export const EXPORT_FORMAT = 'watchfloor-audit-export/1';

/** What the offline verification of an export found. */
export interface ExportReport extends ChainReport {
  lines: number;
  /** Things worth knowing that do not make the export invalid. */
  warnings: string[];
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(record: Json, field: string): string {
  const value = record[field];
  if (typeof value !== 'string') throw new Error(`${field} must be a string`);
  return value;
}

function integer(record: Json, field: string): number {
  const value = record[field];
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) throw new Error(`${field} must be an integer`);
  return value;
}

function checkpointOf(record: Json): SignedCheckpoint {
  return { sequence: integer(record, 'sequence'), hash: text(record, 'hash'), at: text(record, 'at'), signature: text(record, 'signature'), keyId: text(record, 'keyId') };
}

/**
 * Verifies a JSONL export (`GET /v1/audit/export`) with no database: recomputes every
 * entry's event digest and hash and the links between them, and holds the chain against
 * the checkpoints in the export and any given from elsewhere (e.g. taken from the AUDIT
 * stream when they were published), checking each signature with the public key.
 */
export async function verifyExport(lines: AsyncIterable<string>, options: { publicKey: KeyObject; checkpoints?: readonly SignedCheckpoint[] }): Promise<ExportReport> {
  const verifier = new ChainVerifier({ publicKey: options.publicKey, checkpoints: options.checkpoints ?? [] });
  const warnings: string[] = [];
  let count = 0;
  let broken: { sequence: number; reason: string } | undefined;
  for await (const line of lines) {
    count += 1;
    if (line.trim() === '') continue;
    try {
      const record: unknown = JSON.parse(line);
      if (!isObject(record)) throw new Error('not a JSON object');
      switch (record['record']) {
        case 'header':
          if (record['format'] !== EXPORT_FORMAT) warnings.push(`format ${String(record['format'])} is not ${EXPORT_FORMAT}`);
          if (isObject(record['publicKey']) && record['publicKey']['keyId'] !== keyIdOf(options.publicKey)) {
            warnings.push(`the export names key ${String(record['publicKey']['keyId'])}, the key given is ${keyIdOf(options.publicKey)}`);
          }
          break;
        case 'entry': {
          const withheld = record['withheld'] === true;
          const incidentIds = record['incidentIds'];
          if (!Array.isArray(incidentIds) || !incidentIds.every((id) => typeof id === 'string')) throw new Error('incidentIds must be a list of strings');
          const actor = record['actor'];
          verifier.add({
            sequence: integer(record, 'sequence'),
            eventId: text(record, 'eventId'),
            type: text(record, 'type'),
            subject: text(record, 'subject'),
            incidentIds,
            actor: typeof actor === 'string' ? actor : null,
            tlp: text(record, 'tlp'),
            occurredAt: text(record, 'occurredAt'),
            recordedAt: text(record, 'recordedAt'),
            eventHash: text(record, 'eventHash'),
            prevHash: text(record, 'prevHash'),
            hash: text(record, 'hash'),
            ...(withheld ? {} : { event: canonicalJson(record['event']) }),
          });
          break;
        }
        case 'checkpoint':
          verifier.addCheckpoint(checkpointOf(record));
          break;
        default:
          throw new Error(`unknown record ${JSON.stringify(record['record'])}`);
      }
    } catch (error) {
      broken ??= { sequence: verifier.lastSequence + 1, reason: `line ${count}: ${error instanceof Error ? error.message : String(error)}` };
    }
  }
  let report = verifier.finish();
  if (broken && (report.firstInvalidSequence ?? Infinity) > broken.sequence) {
    report = { ...report, valid: false, firstInvalidSequence: broken.sequence, reason: broken.reason };
  }
  if (report.checkpointsVerified === 0) warnings.push('no signed checkpoint covers this export: the chain is consistent but nothing proves it was not rewritten');
  else if (report.entriesAfterLastCheckpoint > 0) warnings.push(`${report.entriesAfterLastCheckpoint} entries after the last checkpoint are covered by no signature yet`);
  if (report.eventsWithheld > 0) warnings.push(`${report.eventsWithheld} events were withheld (TLP); their digests were checked, not their content`);
  return { ...report, lines: count, warnings };
}
