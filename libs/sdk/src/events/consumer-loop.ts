import type { ConsumerMessages, JetStreamClient, JsMsg, Consumer } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { validateEvent, type AnyEvent, type FieldError } from '@watchfloor/contracts';
import type { PlannedConsumer } from './consumer-plan';
import type { Delivery, EventHandlers, SubscriptionProblem } from './subscription-types';

/** What one {@link ConsumerLoop} needs. */
export interface ConsumerLoopDeps {
  nc: NatsConnection;
  js: JetStreamClient;
  consumer: PlannedConsumer;
  handlers: EventHandlers;
  /** Wait before delivery n + 1 after delivery n failed; its length + 1 is the most deliveries. */
  retryDelaysMs: readonly number[];
  ackWaitMs: number;
  /** Messages handled at once. */
  concurrency: number;
  /** How long one pull waits for messages. */
  pullExpiresMs: number;
  report: (problem: SubscriptionProblem) => void;
}

type Check = { ok: true; event: AnyEvent } | { ok: false; errors: FieldError[]; eventId?: string };

function check(message: JsMsg, consumer: PlannedConsumer): Check {
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(message.data));
  } catch {
    return { ok: false, errors: [{ field: '', message: 'body is not UTF-8 JSON' }] };
  }
  const claimedId = typeof parsed === 'object' && parsed !== null && typeof (parsed as { id?: unknown }).id === 'string' ? (parsed as { id: string }).id : undefined;
  const result = validateEvent(parsed);
  if (!result.ok) return { ok: false, errors: result.errors, ...(claimedId !== undefined ? { eventId: claimedId } : {}) };
  if (!consumer.types.includes(result.value.type)) {
    return { ok: false, errors: [{ field: 'type', message: `type ${result.value.type} is not one this consumer takes (${consumer.types.join(', ')})` }], eventId: result.value.id };
  }
  return { ok: true, event: result.value };
}

/**
 * Pulls one durable consumer: at most `concurrency` messages at a time (nothing waits in a
 * client buffer while its ack wait runs out), validates each against the contract, runs its
 * handler, and acknowledges only once the handler has resolved.
 */
export class ConsumerLoop {
  private pull: ConsumerMessages | undefined;
  private loop: Promise<void> | undefined;
  private stopping = false;
  private wake: (() => void) | undefined;

  constructor(private readonly deps: ConsumerLoopDeps) {}

  start(): void {
    this.loop ??= this.run();
  }

  /** Stops pulling and waits for the messages in hand to be acknowledged or given back. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.pull?.stop();
    this.wake?.();
    await this.loop;
  }

  private async run(): Promise<void> {
    const { js, consumer: planned } = this.deps;
    let consumer: Consumer | undefined;
    let failures = 0;
    while (!this.stopping) {
      const inHand: Promise<void>[] = [];
      try {
        consumer ??= await js.consumers.get(planned.stream, planned.durable);
        if (this.stopping) break;
        this.pull = await consumer.fetch({ max_messages: this.deps.concurrency, expires: this.deps.pullExpiresMs });
        // stop() may have come while the pull was being set up: end it now, not when it expires.
        if (this.stopping) this.pull.stop();
        for await (const message of this.pull) {
          // A term or nak on a closed connection throws: the server redelivers after the ack wait.
          inHand.push(this.handle(message).catch((error: unknown) => this.deps.report({ kind: 'consumer-failed', consumer: planned.durable, error })));
        }
        failures = 0;
      } catch (error) {
        if (this.stopping) break;
        // A closed connection never comes back (a lost one reconnects by itself): nothing left to pull.
        if (this.deps.nc.isClosed()) {
          this.deps.report({ kind: 'consumer-failed', consumer: planned.durable, error: new Error('the NATS connection was closed; the subscription has ended') });
          break;
        }
        failures += 1;
        consumer = undefined;
        this.deps.report({ kind: 'consumer-failed', consumer: planned.durable, error });
        await this.pause(Math.min(5_000, 100 * 2 ** Math.min(failures, 6)));
      } finally {
        this.pull = undefined;
        await Promise.all(inHand);
      }
    }
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  private async handle(message: JsMsg): Promise<void> {
    const { consumer, report } = this.deps;
    const checked = check(message, consumer);
    if (!checked.ok) {
      // Waiting cannot make it valid: no redelivery (nats-server 2.9 takes no reason with +TERM).
      message.term();
      report({ kind: 'invalid', consumer: consumer.durable, subject: message.subject, errors: checked.errors, ...(checked.eventId !== undefined ? { eventId: checked.eventId } : {}) });
      return;
    }
    const { event } = checked;
    const delivery: Delivery = { subject: message.subject, deliveryCount: message.info.deliveryCount, streamSequence: message.seq, consumer: consumer.durable };
    // The types a consumer takes all have handlers (see planConsumers); the map cannot say which one `event.type` picks.
    const handler = this.deps.handlers[event.type] as ((event: AnyEvent, delivery: Delivery) => Promise<void> | void) | undefined;
    const progress = setInterval(() => message.working(), Math.max(100, Math.floor(this.deps.ackWaitMs / 2)));
    try {
      await handler?.(event, delivery);
    } catch (error) {
      clearInterval(progress);
      this.failed(message, event, delivery, error);
      return;
    }
    clearInterval(progress);
    try {
      await message.ackAck();
    } catch (error) {
      // Not acknowledged: the server delivers it again after the ack wait.
      report({ kind: 'consumer-failed', consumer: consumer.durable, error });
    }
  }

  private failed(message: JsMsg, event: AnyEvent, delivery: Delivery, error: unknown): void {
    const { retryDelaysMs, report, consumer } = this.deps;
    if (delivery.deliveryCount > retryDelaysMs.length) {
      message.term();
      report({ kind: 'gave-up', consumer: consumer.durable, event, error, deliveryCount: delivery.deliveryCount });
      return;
    }
    const retryInMs = retryDelaysMs[delivery.deliveryCount - 1] ?? retryDelaysMs[retryDelaysMs.length - 1] ?? 1_000;
    message.nak(retryInMs);
    report({ kind: 'handler-failed', consumer: consumer.durable, event, error, deliveryCount: delivery.deliveryCount, retryInMs });
  }
}
