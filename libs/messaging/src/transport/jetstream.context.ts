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
