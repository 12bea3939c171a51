import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/** A message the SMTP server accepted. */
export interface ReceivedMail {
  from: string;
  to: string[];
  /** The raw message (headers and MIME body). */
  raw: string;
  /** The raw message with quoted-printable soft breaks and escapes undone, for assertions on content. */
  decoded: string;
}

/** A real SMTP server (smtp-server) a test starts on loopback, collecting every message it accepts. */
export interface TestSmtpServer {
  url: string;
  messages: ReceivedMail[];
  /** Makes the server answer the next messages with this SMTP error code (e.g. 451, 550); undefined accepts again. */
  refuseWith(code: number | undefined): void;
  close(): Promise<void>;
}

function decodeQuotedPrintable(raw: string): string {
  return raw.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

export async function startSmtpServer(): Promise<TestSmtpServer> {
  const messages: ReceivedMail[] = [];
  let refusal: number | undefined;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        if (refusal !== undefined) {
          const error = Object.assign(new Error('refused by the test'), { responseCode: refusal });
          callback(error);
          return;
        }
        const raw = Buffer.concat(chunks).toString('utf8');
        const from = session.envelope.mailFrom === false ? '' : session.envelope.mailFrom.address;
        messages.push({ from, to: session.envelope.rcptTo.map((r) => r.address), raw, decoded: decodeQuotedPrintable(raw) });
        callback();
      });
    },
  });
  // A client that drops its connection (a sender killed mid-message) is the client's trouble:
  // without a listener, smtp-server's 'error' event would take the test's process down.
  server.on('error', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    refuseWith: (code) => void (refusal = code),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
