import type { ChainReport } from '../api/audit';
import { formatTime } from '../ui/time';

/** What verify found, in words: valid or not (and where), and what the answer covers. */
export function ChainResult({ report }: { report: ChainReport }) {
  return (
    <div className={`chain-result ${report.valid ? 'chain-valid' : 'chain-invalid'}`} role={report.valid ? 'status' : 'alert'}>
      <p className="chain-verdict">
        {report.valid ? (
          <>✓ The chain is valid</>
        ) : (
          <>
            ✗ The chain is NOT valid{report.firstInvalidSequence !== undefined ? ` at entry ${report.firstInvalidSequence}` : ''}
          </>
        )}
      </p>
      {report.reason && <p>{report.reason}</p>}
      <ul>
        <li>
          {report.entries} entries, head #{report.head.sequence} <code title={report.head.hash}>{report.head.hash.slice(0, 16)}…</code>
        </li>
        <li>{report.checkpointsVerified} signed checkpoints verified</li>
        <li>
          {report.entriesAfterLastCheckpoint === 0
            ? 'Every entry is covered by a signed checkpoint'
            : `${report.entriesAfterLastCheckpoint} newest entries not yet covered by a signed checkpoint (one is signed within a minute)`}
        </li>
        {report.eventsWithheld > 0 && <li>{report.eventsWithheld} events above your clearance checked by their hash only</li>}
        {report.unknownKeys?.map((key) => (
          <li key={key.keyId}>
            {key.checkpoints} checkpoints (#{key.firstSequence} to #{key.lastSequence}) signed by key <code>{key.keyId}</code>, which this deployment does not know:
            a retired key missing from AUDIT_RETIRED_PUBLIC_KEYS?
          </li>
        ))}
        <li className="muted">
          Verified {formatTime(report.verifiedAt)} in {report.durationMs} ms
        </li>
      </ul>
    </div>
  );
}
