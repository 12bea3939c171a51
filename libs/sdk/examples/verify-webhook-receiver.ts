// Example: an HTTPS endpoint (plain HTTP here) that receives Watchfloor's signed webhooks.
// Run it: WATCHFLOOR_WEBHOOK_SECRET=whsec_... PORT=9000 SWC_NODE_PROJECT=tsconfig.json node -r @swc-node/register libs/sdk/examples/verify-webhook-receiver.ts
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifyWebhook, WebhookVerificationFailed, type AnyEvent } from '@watchfloor/sdk';

/** What to do with each verified event (open a case, page someone). */
export type WebhookEventHandler = (event: AnyEvent) => Promise<void> | void;

export interface WebhookEndpoint {
  url: string;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 256 * 1024;

function rawBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) request.destroy(new Error('body too large'));
      else chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

/**
 * Listens for webhooks: verifies each one's signature on the raw body (never on re-serialised
 * JSON), drops repeats by `webhook-id` (notification retries with the same id), and answers
 * 2xx only once the event is handled, so a failure is delivered again.
 */
export async function startWebhookEndpoint(options: { secret: string | string[]; port?: number; onEvent: WebhookEventHandler }): Promise<WebhookEndpoint> {
  // Keep these in your database in production, for longer than notification retries (hours).
  const handled = new Set<string>();
  const server = createServer((request, response) => {
    void (async () => {
      const body = await rawBody(request);
      let event: AnyEvent;
      try {
        event = verifyWebhook(options.secret, request.headers, body);
      } catch (error) {
        if (!(error instanceof WebhookVerificationFailed)) throw error;
        response.writeHead(error.reason === 'signature' ? 401 : 400, { 'content-type': 'text/plain' }).end(error.message);
        return;
      }
      const webhookId = String(request.headers['webhook-id']);
      if (!handled.has(webhookId)) {
        await options.onEvent(event);
        handled.add(webhookId);
      }
      response.writeHead(204).end();
    })().catch(() => {
      // Not handled: notification tries again later (429 and 5xx are retried).
      if (!response.headersSent) response.writeHead(500).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function main(): Promise<void> {
  const secret = process.env['WATCHFLOOR_WEBHOOK_SECRET'];
  if (!secret) throw new Error('set WATCHFLOOR_WEBHOOK_SECRET to the whsec_... secret of your subscription');
  const endpoint = await startWebhookEndpoint({
    secret,
    port: Number(process.env['PORT'] ?? 9000),
    onEvent: (event) => console.log(`${event.type} about ${event.subject} (${event.tlp})`),
  });
  console.log(`listening on ${endpoint.url}`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
