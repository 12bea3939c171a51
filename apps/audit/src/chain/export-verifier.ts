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

/** The keys an export's header names: the current one and any retired ones. */
function keysNamed(header: Json): Array<{ keyId: string; base64: string; role: 'current' | 'retired' }> {
  const named = (value: unknown, role: 'current' | 'retired') =>
    isObject(value) && typeof value['keyId'] === 'string' ? [{ keyId: value['keyId'], base64: String(value['base64']), role }] : [];
  const retired = Array.isArray(header['retiredPublicKeys']) ? header['retiredPublicKeys'] : [];
  return [...named(header['publicKey'], 'current'), ...retired.flatMap((key: unknown) => named(key, 'retired'))];
}

/**
 * Verifies a JSONL export (`GET /v1/audit/export`) with no database: recomputes every
 * entry's event digest and hash and the links between them, and holds the chain against
 * the checkpoints in the export and any given from elsewhere (e.g. taken from the AUDIT
 * stream when they were published), checking each signature with the key its key id names
 * among the keys given (after a rotation: the current and the retired ones). Keys the
 * export itself names are never trusted, only reported: whoever could rewrite the export
 * could also name a key of their own.
 */
export async function verifyExport(
  lines: AsyncIterable<string>,
  options: { publicKey?: KeyObject; publicKeys?: readonly KeyObject[]; checkpoints?: readonly SignedCheckpoint[] },
): Promise<ExportReport> {
  const keys = [...(options.publicKey ? [options.publicKey] : []), ...(options.publicKeys ?? [])];
  const given = new Set(keys.map(keyIdOf));
  const verifier = new ChainVerifier({ publicKeys: keys, checkpoints: options.checkpoints ?? [] });
  const warnings: string[] = [];
  let namedByExport: ReturnType<typeof keysNamed> = [];
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
          namedByExport = keysNamed(record);
          for (const key of namedByExport) {
            if (!given.has(key.keyId)) warnings.push(`the export names ${key.role} key ${key.keyId}, which was not given (given: ${[...given].join(', ')})`);
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
  for (const unknown of report.unknownKeys ?? []) {
    const named = namedByExport.find((key) => key.keyId === unknown.keyId);
    warnings.push(
      `${unknown.checkpoints} checkpoints (${unknown.firstSequence}..${unknown.lastSequence}) are signed by key ${unknown.keyId}, which was not given` +
        (named ? `; the export names it as a ${named.role} key (${named.base64}): confirm it with the deployment's operator and pass it with --public-key` : ''),
    );
  }
  if (report.checkpointsVerified === 0) warnings.push('no signed checkpoint covers this export: the chain is consistent but nothing proves it was not rewritten');
  else if (report.entriesAfterLastCheckpoint > 0) warnings.push(`${report.entriesAfterLastCheckpoint} entries after the last checkpoint are covered by no signature yet`);
  if (report.eventsWithheld > 0) warnings.push(`${report.eventsWithheld} events were withheld (TLP); their digests were checked, not their content`);
  return { ...report, lines: count, warnings };
}
