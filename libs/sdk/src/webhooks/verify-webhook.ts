import { validateEvent, type AnyEvent, type FieldError } from '@watchfloor/contracts';
import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { WatchfloorError } from '../http/errors';

/** Request headers as Node's `IncomingMessage`, the Fetch API or a framework gives them. */
export type WebhookHeaders = Headers | Readonly<Record<string, string | readonly string[] | undefined>>;

/** Why a webhook was refused: answer it with 400 (or 401) and do nothing else. */
export class WebhookVerificationFailed extends WatchfloorError {
  constructor(
    message: string,
    /** `signature`: not signed with your secret, too old or too new; `event`: signed but not a valid Watchfloor event. */
    readonly reason: 'signature' | 'event',
    /** For `event`: what broke the contract. */
    readonly errors: FieldError[] = [],
  ) {
    super(message);
  }
}

function lowerCaseHeaders(headers: WebhookHeaders): Record<string, string> {
  const flat: Record<string, string> = {};
  if (headers instanceof Headers) {
    headers.forEach((value, name) => (flat[name.toLowerCase()] = value));
    return flat;
  }
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    flat[name.toLowerCase()] = typeof value === 'string' ? value : value.join(', ');
  }
  return flat;
}

function bodyText(body: string | Uint8Array): string {
  if (typeof body === 'string') return body;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    throw new WebhookVerificationFailed('body is not UTF-8', 'signature');
  }
}

/**
 * Checks a webhook from Watchfloor's notification service (Standard Webhooks: `webhook-id`,
 * `webhook-timestamp` within 5 minutes, `webhook-signature` = HMAC-SHA256 under your
 * `whsec_...` secret) and returns its CloudEvent, validated against the event contract.
 *
 * Pass the **raw** body, as received: a body parsed and serialised again no longer matches
 * its signature. During a secret rotation pass both secrets (the new one first); notification
 * signs with both. Deduplicate on the `webhook-id` header: it is stable across retries.
 * Throws {@link WebhookVerificationFailed}.
 */
export function verifyWebhook(secret: string | readonly string[], headers: WebhookHeaders, body: string | Uint8Array): AnyEvent {
  const secrets = typeof secret === 'string' ? [secret] : secret;
  if (secrets.length === 0) throw new TypeError('verifyWebhook needs at least one secret');
  const text = bodyText(body);
  const flat = lowerCaseHeaders(headers);
  let lastFailure = 'no secret given';
  const verified = secrets.some((candidate) => {
    try {
      new Webhook(candidate).verify(text, flat, { jsonParse: false });
      return true;
    } catch (error) {
      if (!(error instanceof WebhookVerificationError)) throw error;
      lastFailure = error.message;
      return false;
    }
  });
  if (!verified) throw new WebhookVerificationFailed(`webhook refused: ${lastFailure}`, 'signature');

  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new WebhookVerificationFailed('webhook body is not JSON', 'event');
  }
  const result = validateEvent(parsed);
  if (!result.ok) throw new WebhookVerificationFailed(`webhook body is not a valid Watchfloor event: ${result.errors.map((e) => e.message).join('; ')}`, 'event', result.errors);
  return result.value;
}
