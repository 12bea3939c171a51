import { useEffect, useRef, useState } from 'react';

/** A signing secret, shown this once (after subscribing or rotating); it takes the focus. */
export function SecretPanel({ name, secret, rotated, onDone }: { name: string; secret: string; rotated: boolean; onDone(): void }) {
  const heading = useRef<HTMLHeadingElement>(null);
  const [copied, setCopied] = useState(false);
  useEffect(() => heading.current?.focus(), [secret]);
  const copy = async () => {
    await navigator.clipboard?.writeText(secret).then(() => setCopied(true), () => setCopied(false));
  };
  return (
    <section className="receipt secret" aria-labelledby="secret-title">
      <h2 id="secret-title" tabIndex={-1} ref={heading}>
        {rotated ? `New signing secret of ${name}` : `Subscribed: the signing secret of ${name}`}
      </h2>
      <p>
        <strong>Shown this once.</strong> Put it in your receiver&apos;s configuration now: it verifies the <code>webhook-signature</code> of every
        delivery (Standard Webhooks). It cannot be read again; rotate it if it is lost.
        {rotated && ' The previous secret keeps signing for a day, so your receiver can switch at its pace.'}
      </p>
      <p className="secret-value">
        Signing secret: <code>{secret}</code>
      </p>
      <div className="actions">
        <button type="button" className="secondary" onClick={() => void copy()}>
          Copy the secret
        </button>
        <button type="button" className="primary" onClick={onDone}>
          I have kept it
        </button>
        <span role="status">{copied ? 'Copied.' : ''}</span>
      </div>
    </section>
  );
}
