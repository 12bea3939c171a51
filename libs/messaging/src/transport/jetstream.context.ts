import type { JsMsg } from '@nats-io/jetstream';
import { BaseRpcContext } from '@nestjs/microservices';
import type { EntityManager } from 'typeorm';
import type { ConsumerDefinition } from '../topology/consumer-definition';

type JetStreamContextArgs = [message: JsMsg, manager: EntityManager, consumer: ConsumerDefinition];

/**
 * What an event handler gets besides the event (`@Ctx() ctx: JetStreamContext`): the
 * transaction its effects must be written in (`ctx.manager`; committed, together with the
 * inbox record, before the message is acked) and the delivery it is handling.
 */
export class JetStreamContext extends BaseRpcContext<JetStreamContextArgs> {
  /** The handler's transaction. */
  get manager(): EntityManager {
    return this.args[1];
  }

  /** The JetStream message (do not ack it: the transport does, after the commit). */
  get message(): JsMsg {
    return this.args[0];
  }

  /** 1 on the first delivery. */
  get deliveryCount(): number {
    return this.args[0].info.deliveryCount;
  }

  /** Subject the message arrived on. */
  get subject(): string {
    return this.args[0].subject;
  }

  /** The durable consumer delivering it. */
  get consumer(): ConsumerDefinition {
    return this.args[2];
  }
}

/** One message of a batch, as a batch handler sees it. */
export interface BatchMessage<E = unknown> {
  event: E;
  message: JsMsg;
  /** Runs `work` in this message's span: events added to the outbox in it continue its trace. */
  within<T>(work: () => T): T;
}

/**
 * What a batch handler gets (`@EventPattern(type, { batch: true })`): the messages of a
 * pull, each claimed in the inbox once, in delivery order, and the transaction their effects
 * are written in. The transport calls it with the whole batch; if it throws, the batch is
 * rolled back and the handler is called again once per message, each in its own savepoint,
 * so a failing message gets its own retries and dead letter. A batch handler must therefore
 * give each event the effect it would have alone, whatever the batch holds.
 */
export class JetStreamBatchContext<E = unknown> {
  constructor(
    readonly messages: ReadonlyArray<BatchMessage<E>>,
    /** The batch's transaction. */
    readonly manager: EntityManager,
    /** The durable consumer delivering them. */
    readonly consumer: ConsumerDefinition,
  ) {}
}

/** Extras of `@EventPattern(type, BATCH)`: the handler takes the batch (`@Ctx() ctx: JetStreamBatchContext`). */
export const BATCH = { batch: true } as const;
