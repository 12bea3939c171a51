import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Subscriptions (secrets encrypted), the small projection of incidents that routing needs
 * (reporting organisation, TLP, category, priority), the redacted body of each routed event,
 * and the delivery ledger: one row per (event, subscription), unique, so a redelivered event
 * never makes a second delivery. Due deliveries are found by the partial index.
 */
export class CreateNotificationLedger1764300000000 implements MigrationInterface {
  name = 'CreateNotificationLedger1764300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE subscription (
        id uuid PRIMARY KEY,
        name text NOT NULL,
        channel text NOT NULL CHECK (channel IN ('webhook', 'email')),
        target text NOT NULL,
        events text[] NOT NULL,
        min_priority text,
        jurisdictions text[] NOT NULL DEFAULT '{}',
        categories text[] NOT NULL DEFAULT '{}',
        owner_sub text NOT NULL,
        owner_org text,
        clearance text NOT NULL,
        secret text,
        previous_secret text,
        previous_secret_expires_at timestamptz,
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        deleted_at timestamptz,
        CONSTRAINT subscription_webhook_has_secret CHECK (channel <> 'webhook' OR secret IS NOT NULL OR deleted_at IS NOT NULL)
      )`);
    await queryRunner.query(`CREATE INDEX subscription_owner_idx ON subscription (owner_sub, created_at DESC, id DESC)`);
    await queryRunner.query(`CREATE INDEX subscription_list_idx ON subscription (created_at DESC, id DESC)`);
    await queryRunner.query(`CREATE INDEX subscription_events_idx ON subscription USING gin (events) WHERE deleted_at IS NULL`);

    await queryRunner.query(`
      CREATE TABLE incident (
        id uuid PRIMARY KEY,
        reference text,
        reporting_org text,
        tlp text,
        category text,
        jurisdiction text,
        details_version integer NOT NULL DEFAULT 0,
        priority text,
        priority_version integer NOT NULL DEFAULT 0,
        updated_at timestamptz NOT NULL
      )`);

    await queryRunner.query(`
      CREATE TABLE notification_event (
        event_id uuid PRIMARY KEY,
        type text NOT NULL,
        incident_id uuid,
        tlp text NOT NULL,
        jurisdiction text NOT NULL,
        published_at timestamptz NOT NULL,
        body text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);

    await queryRunner.query(`
      CREATE TABLE delivery (
        id uuid PRIMARY KEY,
        event_id uuid NOT NULL REFERENCES notification_event (event_id),
        subscription_id uuid NOT NULL REFERENCES subscription (id),
        channel text NOT NULL,
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed', 'dead')),
        attempts integer NOT NULL DEFAULT 0,
        budget_used integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL,
        claim_token uuid,
        last_error text,
        last_http_status integer,
        last_attempt_at timestamptz,
        delivered_at timestamptz,
        latency_ms integer,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        CONSTRAINT delivery_event_subscription_unique UNIQUE (event_id, subscription_id)
      )`);
    await queryRunner.query(`CREATE INDEX delivery_due_idx ON delivery (next_attempt_at) WHERE status IN ('pending', 'failed')`);
    await queryRunner.query(`CREATE INDEX delivery_subscription_idx ON delivery (subscription_id, created_at DESC, id DESC)`);
    await queryRunner.query(`CREATE INDEX delivery_list_idx ON delivery (created_at DESC, id DESC)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE delivery`);
    await queryRunner.query(`DROP TABLE notification_event`);
    await queryRunner.query(`DROP TABLE incident`);
    await queryRunner.query(`DROP TABLE subscription`);
  }
}
