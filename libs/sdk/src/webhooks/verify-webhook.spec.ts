import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { aReportedEvent } from '../../test/events';
import { verifyWebhook, WebhookVerificationFailed } from './verify-webhook';

const newSecret = () => `whsec_${randomBytes(32).toString('base64')}`;

/** Headers of a webhook signed with `secret` by the Standard Webhooks reference library. */
function signed(secret: string, body: string, at = new Date()): Record<string, string> {
  const id = 'msg_0193b0f4';
  return { 'webhook-id': id, 'webhook-timestamp': String(Math.floor(at.getTime() / 1000)), 'webhook-signature': new Webhook(secret).sign(id, at, body) };
}

function refusal(run: () => unknown): WebhookVerificationFailed {
  try {
    run();
  } catch (error) {
    if (error instanceof WebhookVerificationFailed) return error;
    throw error;
  }
  throw new Error('the webhook was accepted');
}

describe('verifyWebhook', () => {
  const secret = newSecret();
  const body = JSON.stringify(aReportedEvent());

  it('returns the event, typed by its type, when the signature is good', () => {
    const event = verifyWebhook(secret, signed(secret, body), body);
    expect(event.type).toBe('watchfloor.incident.reported.v1');
    if (event.type !== 'watchfloor.incident.reported.v1') throw new Error('narrowing');
    expect(event.data.reference).toBe('WF-2026-000042');
  });

  it("takes headers as Node gives them (any case) or as Fetch's Headers, and the body as bytes", () => {
    const headers = Object.fromEntries(Object.entries(signed(secret, body)).map(([name, value]) => [name.toUpperCase(), value]));
    expect(verifyWebhook(secret, headers, Buffer.from(body)).id).toBe(JSON.parse(body).id);
    expect(verifyWebhook(secret, new Headers(signed(secret, body)), new TextEncoder().encode(body)).id).toBe(JSON.parse(body).id);
  });

  it('refuses a body changed after signing, another secret, and a stale timestamp', () => {
    const tampered = body.replace('WF-2026-000042', 'WF-2026-000043');
    expect(refusal(() => verifyWebhook(secret, signed(secret, body), tampered)).reason).toBe('signature');
    expect(refusal(() => verifyWebhook(newSecret(), signed(secret, body), body)).reason).toBe('signature');
    expect(refusal(() => verifyWebhook(secret, signed(secret, body, new Date(Date.now() - 10 * 60_000)), body)).message).toMatch(/too old/);
    expect(refusal(() => verifyWebhook(secret, {}, body)).message).toMatch(/Missing required headers/);
  });

  it('accepts either secret during a rotation', () => {
    const next = newSecret();
    expect(verifyWebhook([next, secret], signed(secret, body), body).type).toBe('watchfloor.incident.reported.v1');
  });

  it('refuses a well-signed body that is not a valid event, naming the field', () => {
    const event = aReportedEvent();
    const broken = JSON.stringify({ ...event, data: { ...event.data, reference: 'not-a-reference' } });
    const failure = refusal(() => verifyWebhook(secret, signed(secret, broken), broken));
    expect(failure.reason).toBe('event');
    expect(failure.errors.map((e) => e.field)).toEqual(['data.reference']);
  });
});
