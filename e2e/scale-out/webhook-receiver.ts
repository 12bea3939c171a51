import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A partner's webhook endpoint on loopback that answers 200 and counts what it got. */
export interface WebhookReceiver {
  url: string;
  /** Requests received, by `webhook-id` (the delivery id, stable across retries). */
  readonly received: ReadonlyMap<string, number>;
  /** Requests in all. */
  total(): number;
  /** Ids received more than once: what Standard Webhooks lets a sender do after a crash. */
  repeats(): number;
  close(): Promise<void>;
}

/** Starts a receiver on a free loopback port. */
export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const received = new Map<string, number>();
  let total = 0;
  const server = createServer((req, res) => {
    // The body is not needed: the ledger and the streams say what each id carried.
    req.resume();
    req.on('end', () => {
      const id = String(req.headers['webhook-id'] ?? '');
      total += 1;
      received.set(id, (received.get(id) ?? 0) + 1);
      res.writeHead(200).end();
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    total: () => total,
    repeats: () => [...received.values()].reduce((sum, n) => sum + n - 1, 0),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
