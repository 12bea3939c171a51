import nodemailer, { type Transporter } from 'nodemailer';
import type { AnyEvent } from '@watchfloor/contracts';
import type { AttemptResult } from './attempt';
import { composeEmail } from './email-body';

/** One e-mail attempt: the delivery id (also the Message-ID, stable across retries), the address, the event. */
export interface EmailAttempt {
  id: string;
  to: string;
  event: AnyEvent;
}

/** Sends notification e-mail over SMTP through a pooled nodemailer transport. */
export class EmailSender {
  private readonly transport: Transporter;

  constructor(
    smtpUrl: string,
    private readonly from: string,
    timeoutMs: number,
  ) {
    const url = new URL(smtpUrl);
    this.transport = nodemailer.createTransport({
      pool: true,
      maxConnections: 4,
      host: url.hostname,
      port: url.port ? Number(url.port) : url.protocol === 'smtps:' ? 465 : 25,
      secure: url.protocol === 'smtps:',
      ...(url.username ? { auth: { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } } : {}),
      connectionTimeout: timeoutMs,
      greetingTimeout: timeoutMs,
      socketTimeout: timeoutMs,
    });
  }

  async send(attempt: EmailAttempt): Promise<AttemptResult> {
    const content = composeEmail(attempt.event);
    try {
      await this.transport.sendMail({
        from: this.from,
        to: attempt.to,
        subject: content.subject,
        text: content.text,
        html: content.html,
        messageId: `<${attempt.id}@watchfloor>`,
        headers: { 'X-Watchfloor-Delivery': attempt.id, 'X-Watchfloor-Event': attempt.event.id, 'X-Watchfloor-TLP': attempt.event.tlp },
      });
      return { ok: true };
    } catch (error) {
      return smtpFailure(error);
    }
  }

  close(): void {
    this.transport.close();
  }
}

/** An SMTP 5xx is final (the server refuses this message or address); 4xx and connection trouble are retried. */
function smtpFailure(error: unknown): AttemptResult {
  const { responseCode, code, message } = error as { responseCode?: number; code?: string; message?: string };
  if (typeof responseCode === 'number') {
    return { ok: false, retryable: responseCode < 500, error: `SMTP ${responseCode}: ${(message ?? '').slice(0, 300)}` };
  }
  return { ok: false, retryable: true, error: `SMTP connection failed: ${code ?? message ?? 'unknown error'}` };
}
