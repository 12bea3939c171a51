import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One answer of the scripted server: a status with headers and a JSON body, or a dropped connection. */
export type ScriptedAnswer = { status: number; headers?: Record<string, string>; body?: unknown } | 'drop-connection';

/** A request the server received. */
export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** An HTTP server that answers each request with the next scripted answer (the last one repeats). */
export interface ScriptedServer {
  url: string;
  requests: ReceivedRequest[];
  /** The answers to give, in order. */
  script(...answers: ScriptedAnswer[]): void;
  close(): Promise<void>;
}

export async function startScriptedServer(): Promise<ScriptedServer> {
  const requests: ReceivedRequest[] = [];
  let answers: ScriptedAnswer[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      requests.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString() });
      const answer = answers.length > 1 ? answers.shift() : answers[0];
      if (answer === undefined) return void res.writeHead(500).end();
      if (answer === 'drop-connection') return void req.socket.destroy();
      const problem = answer.status >= 400;
      res.writeHead(answer.status, { 'content-type': problem ? 'application/problem+json' : 'application/json', ...answer.headers });
      res.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    script: (...next) => {
      answers = next;
      requests.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A problem+json body as the services send it. */
export function problem(status: number, code: string, errors?: Array<{ field: string; message: string }>) {
  return { type: `urn:watchfloor:problem:${code}`, title: 'Problem', status, detail: `${code} happened`, code, correlationId: 'corr-1', ...(errors ? { errors } : {}) };
}
