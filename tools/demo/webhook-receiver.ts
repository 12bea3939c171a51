import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

/** One webhook as the partner's system got it. */
export interface ReceivedWebhook {
  id: string;
  type: string;
  data: Record<string, unknown>;
  verified: boolean;
}

/**
 * The partner's end of a subscription: an HTTP endpoint on this machine that verifies each
 * Standard Webhooks signature with the subscription's secret and keeps one copy per
 * `webhook-id` (a retry arrives under the same id).
 */
export class WebhookReceiver {
  readonly received = new Map<string, ReceivedWebhook>();
  private verifier: Webhook | undefined;
  private server: Server | undefined;

  constructor(private readonly onWebhook: (webhook: ReceivedWebhook) => void) {}

  /** Starts listening on a free loopback port; returns the URL to subscribe. */
  async start(): Promise<string> {
    const server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const id = String(request.headers['webhook-id'] ?? '');
        let verified = false;
        try {
          this.verifier?.verify(body, {
            'webhook-id': id,
            'webhook-timestamp': String(request.headers['webhook-timestamp'] ?? ''),
            'webhook-signature': String(request.headers['webhook-signature'] ?? ''),
          });
          verified = this.verifier !== undefined;
        } catch {
          verified = false;
        }
        response.writeHead(verified ? 204 : 401).end();
        if (!verified || this.received.has(id)) return;
        const event = JSON.parse(body) as { type?: string; data?: Record<string, unknown> };
        const webhook = { id, type: String(event.type ?? 'unknown'), data: event.data ?? {}, verified };
        this.received.set(id, webhook);
        this.onWebhook(webhook);
      });
    });
    this.server = server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}/watchfloor`;
  }

  /** The subscription's signing secret (`whsec_...`), known once subscribed. */
  trust(secret: string): void {
    this.verifier = new Webhook(secret);
  }

  /** Webhooks of one type about one incident. */
  about(incidentId: string, type: string): ReceivedWebhook[] {
    return [...this.received.values()].filter((w) => w.type === type && w.data['incidentId'] === incidentId);
  }

  close(): Promise<void> {
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
