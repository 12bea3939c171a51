import { useEffect, useRef } from 'react';
import type { Receipt } from '../api/intake';
import { Link } from '../ui/router';
import { formatTime } from '../ui/time';

/** What the official keeps after sending: the reference to quote on the phone. */
export function ReceiptPanel({ receipt, onAnother }: { receipt: Receipt; onAnother(): void }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  return (
    <main id="main" tabIndex={-1} className="page narrow">
      <div className="receipt" role="status">
        <h1 tabIndex={-1} ref={heading}>
          Report received
        </h1>
        <p>
          Your reference is <strong className="reference">{receipt.reference}</strong>
        </p>
        <p>Received {formatTime(receipt.receivedAt)}. It is stored and on its way to the triage staff; you can follow it in My reports.</p>
      </div>
      <p className="actions">
        <Link to={`/reports/${receipt.id}`} className="button primary">
          Follow this report
        </Link>
        <button type="button" className="secondary" onClick={onAnother}>
          Report another incident
        </button>
      </p>
    </main>
  );
}
