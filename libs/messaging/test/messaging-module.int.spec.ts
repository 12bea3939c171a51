import { Injectable, Module, type INestMicroservice } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { MicroserviceOptions } from '@nestjs/microservices';
import type { DataSource } from 'typeorm';
import { createTestDatabase, expectEventually, useNats, type TestDatabase, type TestNats } from '@watchfloor/testing';
import { inTransaction } from '@watchfloor/persistence';
import { defineConsumer, Messaging, MessagingModule, Outbox, OutboxRelay } from '../src';
import { CreateTriageEffect1700000001000, HandlerModule } from './handler-app';
import { freshRegistry, messagingDataSource, quietLogger, TRIAGED, triagedEvent } from './support';

// Jest ignores testTimeout in project configs; waits below poll up to 10 s.
jest.setTimeout(30_000);

/** What a service's use case looks like: its writes and its event in one transaction, then a kick. */
@Injectable()
class RecordTriage {
  constructor(
    private readonly outbox: Outbox,
    private readonly relay: OutboxRelay,
  ) {}

  async execute(dataSource: DataSource, event: ReturnType<typeof triagedEvent>): Promise<void> {
    await inTransaction(dataSource, (manager) => this.outbox.add(manager, event));
    this.relay.kick();
  }
}

describe('Messaging wired into a Nest app', () => {
  let db: TestDatabase;
  let nats: TestNats;
  let ds: DataSource;
  let messaging: Messaging;
  let app: INestMicroservice;

  beforeAll(async () => {
    [db, nats] = await Promise.all([createTestDatabase(), useNats()]);
    ds = await messagingDataSource(db.url, 'consumer', [CreateTriageEffect1700000001000]);
    messaging = await Messaging.create({
      service: 'triage', dataSource: ds, servers: nats.url, namespace: nats.namespace,
      consumers: [defineConsumer('triage', TRIAGED, { backoffMs: [100, 100, 100, 100] })],
      logger: quietLogger, registry: freshRegistry(), relay: { pollIntervalMs: 100 },
    });

    @Module({ imports: [MessagingModule.forRoot(messaging), HandlerModule], providers: [RecordTriage] })
    class AppModule {}

    app = await NestFactory.createMicroservice<MicroserviceOptions>(AppModule, { strategy: messaging.transport, logger: false });
    await app.listen();
  });

  afterAll(async () => {
    await app.close();
    await nats.cleanup();
    await ds.destroy();
    await db.drop();
  });

  it('is ready once connected with its streams and consumers', async () => {
    await expect(messaging.checkReady()).resolves.toBeUndefined();
  });

  it('carries an event from one transaction through outbox, relay, stream and handler to its effect', async () => {
    const event = triagedEvent();
    await app.get(RecordTriage).execute(ds, event);

    await expectEventually(async () => {
      const rows = await ds.query<Array<{ event_id: string }>>('SELECT event_id FROM consumer.triage_effect WHERE incident_id = $1', [event.data.incidentId]);
      expect(rows).toEqual([{ event_id: event.id }]);
    });
  });

  it('is not ready when a consumer has gone', async () => {
    await messaging.connection.jsm.consumers.delete(messaging.topology.streamName('INCIDENTS'), 'triage--incident-triaged');
    await expect(messaging.checkReady()).rejects.toThrow(/missing on NATS: consumer .*triage--incident-triaged/);
  });
});
