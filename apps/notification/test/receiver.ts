import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request a receiver got. */
export interface ReceivedWebhook {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  at: number;
  /** The status the receiver answered. */
  status: number;
}

/** What the receiver answers to a request (the n-th on its path, 1-based). */
export type Responder = (request: { path: string; headers: IncomingHttpHeaders; body: string }, nth: number) => { status: number; headers?: Record<string, string>; delayMs?: number };

/** A real HTTP server standing in for partners' webhook endpoints; each path can answer its own way. */
export interface WebhookReceiver {
  /** `http://127.0.0.1:<port>` */
  url: string;
  port: number;
  received: ReceivedWebhook[];
  /** Requests on `path`, in order. */
  on(path: string): ReceivedWebhook[];
  /** Sets how `path` answers (default 200). */
  respond(path: string, responder: Responder): void;
  close(): Promise<void>;
}

/** Starts a receiver on a free loopback port. */
export async function startReceiver(): Promise<WebhookReceiver> {
  const received: ReceivedWebhook[] = [];
  const responders = new Map<string, Responder>();
  const counts = new Map<string, number>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const path = req.url ?? '/';
      const body = Buffer.concat(chunks).toString('utf8');
      const nth = (counts.get(path) ?? 0) + 1;
      counts.set(path, nth);
      const responder: Responder = responders.get(path) ?? (() => ({ status: 200 }));
      const answer = responder({ path, headers: req.headers, body }, nth);
      const reply = () => {
        received.push({ path, headers: req.headers, body, at: Date.now(), status: answer.status });
        res.writeHead(answer.status, answer.headers ?? {});
        res.end('ok');
      };
      if (answer.delayMs) setTimeout(reply, answer.delayMs);
      else reply();
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    received,
    on: (path) => received.filter((r) => r.path === path),
    respond: (path, responder) => void responders.set(path, responder),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
