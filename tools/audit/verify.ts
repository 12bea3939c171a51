// The outside auditor's check: verifies a JSONL export of the audit chain with no database,
// only the export and the public keys of the checkpoints.
//
//   npm run audit:verify -- <export.jsonl> --public-key <file or base64> [--public-key ...] [--checkpoints <file.jsonl>] [--json]
//   node /app/dist/main.js audit-verify - --public-key ... < export.jsonl      (in the container image)
//
// <export.jsonl> `-` reads the export from standard input: a container has no copy of the
//                file (and compose runs it read-only), so `docker run -i` / `kubectl exec -i` feed it.
// --public-key   PEM (SPKI), base64 of SPKI DER, or base64 of the 32 raw bytes; a file or the value.
//                After a key rotation give the retired keys too: the option again, or several
//                keys separated by commas (the form of AUDIT_RETIRED_PUBLIC_KEYS). Each
//                checkpoint is checked with the key its key id names.
// --checkpoints  checkpoints held elsewhere (e.g. copied from the AUDIT stream when published):
//                JSONL of checkpoint objects or of audit.checkpoint.v1 CloudEvents.
// Exit status: 0 the chain verifies, 1 it does not, 2 the command was wrong.
import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { parsePublicKeyList, type SignedCheckpoint } from '../../apps/audit/src/chain/checkpoint-signature';
import { verifyExport } from '../../apps/audit/src/chain/export-verifier';
import { CommandLine } from '../cli/command-line';

const USAGE = `usage: npm run audit:verify -- <export.jsonl | -> --public-key <file or base64> [--public-key ...] [--checkpoints <file.jsonl>] [--json]
   or: node /app/dist/main.js audit-verify <export.jsonl | -> --public-key ... (in the container image)

Verifies an audit export (JSONL) offline: the hash chain and every checkpoint's signature.
  -                 read the export from standard input
  --public-key      PEM (SPKI), base64 of SPKI DER or of the 32 raw bytes; a file or the value;
                    several (repeat it, or separate by commas) after a key rotation
  --checkpoints     checkpoints held elsewhere: JSONL of checkpoints or audit.checkpoint.v1 events
  --json            the report as one JSON line
Exit status: 0 the chain verifies, 1 it does not, 2 the command was wrong.
`;

// Typed, so that TypeScript knows `cli.usage(...)` does not return.
const cli: CommandLine = new CommandLine(USAGE);

function readCheckpoints(file: string): SignedCheckpoint[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const parsed = JSON.parse(line) as { data?: SignedCheckpoint } & SignedCheckpoint;
      return parsed.data ?? parsed;
    });
}

async function main(): Promise<void> {
  const parsed = cli.parse({
    allowPositionals: true,
    options: {
      'public-key': { type: 'string', multiple: true },
      checkpoints: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const [file, ...rest] = parsed.positionals;
  if (!file || rest.length > 0) cli.usage('give exactly one export file (or - for standard input)');
  if (file !== '-' && !existsSync(file)) cli.usage(`${file}: no such file`);
  const keyArguments = parsed.values['public-key'] ?? [];
  if (keyArguments.length === 0) cli.usage('--public-key is required');
  const publicKeys = keyArguments.flatMap((argument) => {
    try {
      const keys = parsePublicKeyList(existsSync(argument) ? readFileSync(argument, 'utf8') : argument);
      if (keys.length === 0) throw new Error('no key given');
      return keys;
    } catch (error) {
      cli.usage(`--public-key ${argument.length > 60 ? `${argument.slice(0, 57)}...` : argument}: ${error instanceof Error ? error.message : String(error)}`);
    }
  });
  const checkpoints = parsed.values.checkpoints ? readCheckpoints(parsed.values.checkpoints) : [];
  const lines = createInterface({ input: file === '-' ? process.stdin : createReadStream(file, 'utf8'), crlfDelay: Infinity });
  const started = Date.now();
  const report = await verifyExport(lines, { publicKeys, checkpoints });
  if (parsed.values.json) {
    process.stdout.write(`${JSON.stringify({ ...report, durationMs: Date.now() - started })}\n`);
  } else {
    const out = [
      report.valid ? `VALID: ${report.entries} entries, head ${report.head.sequence} ${report.head.hash}` : `INVALID at sequence ${report.firstInvalidSequence}: ${report.reason}`,
      `checkpoints verified: ${report.checkpointsVerified}`,
      ...report.warnings.map((warning) => `warning: ${warning}`),
      `checked in ${Date.now() - started} ms`,
    ];
    process.stdout.write(`${out.join('\n')}\n`);
  }
  process.exit(report.valid ? 0 : 1);
}

main().catch((error: unknown) => {
  process.stderr.write(`audit:verify failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(2);
});
