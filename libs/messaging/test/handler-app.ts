import { Controller, Module, UseFilters } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Ctx, EventPattern, Payload, type MicroserviceOptions } from '@nestjs/microservices';
import type { INestMicroservice } from '@nestjs/common';
import type { MigrationInterface, QueryRunner } from 'typeorm';
import type { EventOf } from '@watchfloor/contracts';
import { migrationSchema, quoteIdent } from '@watchfloor/persistence';
import { BATCH, JetStreamErrorsFilter, PermanentError, type JetStreamBatchContext, type JetStreamContext, type JetStreamTransport } from '../src';
import { TRIAGED } from './support';

/**
 * The test handler's effect: one row per handled event, deliberately without a unique key,
 * with the (top-level) transaction that wrote it, also from inside a savepoint.
 */
export class CreateTriageEffect1700000001000 implements MigrationInterface {
  name = 'CreateTriageEffect1700000001000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE ${quoteIdent(migrationSchema(queryRunner))}.triage_effect (event_id uuid NOT NULL, incident_id uuid NOT NULL, delivery integer NOT NULL, tx bigint NOT NULL DEFAULT txid_current())`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE ${quoteIdent(migrationSchema(queryRunner))}.triage_effect`);
  }
}

/** How the handler treats an incident: tests set this per incident id. */
export type Behaviour = 'transient' | 'transient-once' | 'permanent';
export const behaviours = new Map<string, Behaviour>();

@Controller()
@UseFilters(JetStreamErrorsFilter)
class TriagedHandler {
  @EventPattern<string>(TRIAGED)
  async onTriaged(@Payload() event: EventOf<typeof TRIAGED>, @Ctx() ctx: JetStreamContext): Promise<void> {
    const incidentId = event.data.incidentId;
    // The effect is written first, so a failure after it proves the rollback.
    await ctx.manager.query('INSERT INTO consumer.triage_effect (event_id, incident_id, delivery) VALUES ($1, $2, $3)', [event.id, incidentId, ctx.deliveryCount]);
    const behaviour = behaviours.get(incidentId);
    if (behaviour === 'permanent') throw new PermanentError('incident can never be triaged here');
    if (behaviour === 'transient') throw new Error('database hiccup');
    if (behaviour === 'transient-once' && ctx.deliveryCount === 1) throw new Error('first attempt fails');
  }
}

@Module({ controllers: [TriagedHandler] })
export class HandlerModule {}

/** How many events each call of the batch handler got, in order. */
export const batchCalls: number[] = [];

/** The same effects as {@link TriagedHandler}, written for a whole batch in one statement. */
@Controller()
@UseFilters(JetStreamErrorsFilter)
class TriagedBatchHandler {
  @EventPattern<string>(TRIAGED, BATCH)
  async onTriaged(@Payload() events: Array<EventOf<typeof TRIAGED>>, @Ctx() ctx: JetStreamBatchContext<EventOf<typeof TRIAGED>>): Promise<void> {
    batchCalls.push(events.length);
    await ctx.manager.query(
      'INSERT INTO consumer.triage_effect (event_id, incident_id, delivery) SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::int[])',
      [events.map((e) => e.id), events.map((e) => e.data.incidentId), ctx.messages.map((m) => m.message.info.deliveryCount)],
    );
    for (const { event, message } of ctx.messages) {
      const behaviour = behaviours.get(event.data.incidentId);
      if (behaviour === 'permanent') throw new PermanentError('incident can never be triaged here');
      if (behaviour === 'transient') throw new Error('database hiccup');
      if (behaviour === 'transient-once' && message.info.deliveryCount === 1) throw new Error('first attempt fails');
    }
  }
}

@Module({ controllers: [TriagedBatchHandler] })
export class BatchHandlerModule {}

/** A Nest microservice whose only transport is `transport`, listening (with the batch handler when asked). */
export async function startHandlerApp(transport: JetStreamTransport, options: { batch?: boolean } = {}): Promise<INestMicroservice> {
  const app = await NestFactory.createMicroservice<MicroserviceOptions>(options.batch ? BatchHandlerModule : HandlerModule, { strategy: transport, logger: false });
  await app.listen();
  return app;
}
