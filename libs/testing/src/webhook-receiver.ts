import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * How the receiver answers: `ok` 200; `failing` 500; `throttling` 429 with `Retry-After: 1`;
 * `hanging` never (the sender's timeout ends it). Only an `ok` answer counts as received.
 */
export type ReceiverBehaviour = 'ok' | 'failing' | 'throttling' | 'hanging';

/** A partner's webhook endpoint on loopback that answers 200 and counts what it got. */
export interface WebhookReceiver {
  url: string;
  /** Requests received, by `webhook-id` (the delivery id, stable across retries). */
  readonly received: ReadonlyMap<string, number>;
  /** The headers of the last request received for each `webhook-id`. */
  readonly headers: ReadonlyMap<string, IncomingHttpHeaders>;
  /** Requests in all. */
  total(): number;
  /** Ids received more than once: what Standard Webhooks lets a sender do after a crash. */
  repeats(): number;
  /** Answers from now on as `behaviour` says (a partner's endpoint in trouble). */
  behave(behaviour: ReceiverBehaviour): void;
  close(): Promise<void>;
}

/** Starts a receiver on a free loopback port. */
export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const received = new Map<string, number>();
  const headers = new Map<string, IncomingHttpHeaders>();
  let total = 0;
  let behaviour: ReceiverBehaviour = 'ok';
  const server = createServer((req, res) => {
    // The body is not needed: the ledger and the streams say what each id carried.
    req.resume();
    req.on('end', () => {
      if (behaviour === 'hanging') return;
      if (behaviour === 'failing') return void res.writeHead(500).end();
      if (behaviour === 'throttling') return void res.writeHead(429, { 'retry-after': '1' }).end();
      const id = String(req.headers['webhook-id'] ?? '');
      total += 1;
      received.set(id, (received.get(id) ?? 0) + 1);
      headers.set(id, req.headers);
      res.writeHead(200).end();
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    headers,
    total: () => total,
    repeats: () => [...received.values()].reduce((sum, n) => sum + n - 1, 0),
    behave: (next) => {
      behaviour = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
