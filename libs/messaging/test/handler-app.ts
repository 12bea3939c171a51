import { Controller, Module, UseFilters } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Ctx, EventPattern, Payload, type MicroserviceOptions } from '@nestjs/microservices';
import type { INestMicroservice } from '@nestjs/common';
import type { MigrationInterface, QueryRunner } from 'typeorm';
import type { EventOf } from '@watchfloor/contracts';
import { migrationSchema, quoteIdent } from '@watchfloor/persistence';
import { JetStreamErrorsFilter, PermanentError, type JetStreamContext, type JetStreamTransport } from '../src';
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

/** A Nest microservice whose only transport is `transport`, listening. */
export async function startHandlerApp(transport: JetStreamTransport): Promise<INestMicroservice> {
  const app = await NestFactory.createMicroservice<MicroserviceOptions>(HandlerModule, { strategy: transport, logger: false });
  await app.listen();
  return app;
}
