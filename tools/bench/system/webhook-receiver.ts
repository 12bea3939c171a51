import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { Webhook } from 'standardwebhooks';

/** Webhook types whose first arrival per incident is timed. */
export const TIMED_WEBHOOKS = { reported: 'watchfloor.incident.reported.v1', triaged: 'watchfloor.incident.triaged.v1' } as const;
export type TimedWebhook = keyof typeof TIMED_WEBHOOKS;

/**
 * The partner's endpoint: verifies every Standard Webhooks signature with the
 * subscription's secret, answers 204 (401 when forged), and keeps only counts and the first
 * arrival (`performance.now()`) per incident of the timed types. The demo's receiver keeps
 * every webhook's data, which a run of 100k incidents cannot afford.
 */
export class SignedWebhookReceiver {
  verified = 0;
  forged = 0;
  /** The same `webhook-id` again (a retry). */
  duplicates = 0;
  readonly byType = new Map<string, number>();
  readonly firstArrival: Record<TimedWebhook, Map<string, number>> = { reported: new Map(), triaged: new Map() };
  private readonly ids = new Set<string>();
  private verifier: Webhook | undefined;
  private server: Server | undefined;

  /** Listens on a free loopback port; returns the URL to subscribe. */
  async start(): Promise<string> {
    const server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const atMs = performance.now();
        const id = String(request.headers['webhook-id'] ?? '');
        let event: { type?: unknown; data?: { incidentId?: unknown } } | undefined;
        try {
          event = this.verifier?.verify(Buffer.concat(chunks).toString('utf8'), {
            'webhook-id': id,
            'webhook-timestamp': String(request.headers['webhook-timestamp'] ?? ''),
            'webhook-signature': String(request.headers['webhook-signature'] ?? ''),
          }) as typeof event;
        } catch {
          event = undefined;
        }
        response.writeHead(event ? 204 : 401).end();
        if (event) this.record(id, event, atMs);
        else this.forged += 1;
      });
    });
    server.keepAliveTimeout = 30_000;
    this.server = server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}/watchfloor`;
  }

  /** The subscription's signing secret (`whsec_...`), known once subscribed. */
  trust(secret: string): void {
    this.verifier = new Webhook(secret);
  }

  private record(id: string, event: { type?: unknown; data?: { incidentId?: unknown } }, atMs: number): void {
    this.verified += 1;
    if (this.ids.has(id)) {
      this.duplicates += 1;
      return;
    }
    this.ids.add(id);
    const type = String(event.type);
    this.byType.set(type, (this.byType.get(type) ?? 0) + 1);
    const incidentId = event.data?.incidentId;
    if (typeof incidentId !== 'string') return;
    for (const [name, timedType] of Object.entries(TIMED_WEBHOOKS) as Array<[TimedWebhook, string]>) {
      if (type === timedType && !this.firstArrival[name].has(incidentId)) this.firstArrival[name].set(incidentId, atMs);
    }
  }

  close(): Promise<void> {
    const server = this.server;
    if (!server) return Promise.resolve();
    server.closeAllConnections();
    return new Promise((resolve) => server.close(() => resolve()));
  }
}
