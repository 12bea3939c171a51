import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Triage's incidents (score, lifecycle, assignment, deadline), their timeline and notes,
 * the observable index correlation searches, and clusters.
 */
export class CreateTriageIncidents1764200000000 implements MigrationInterface {
  name = 'CreateTriageIncidents1764200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE cluster (
        id uuid PRIMARY KEY,
        version integer NOT NULL DEFAULT 1,
        campaign boolean NOT NULL DEFAULT false,
        jurisdictions text[] NOT NULL,
        shared_observables jsonb NOT NULL DEFAULT '[]',
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL
      )`);
    await queryRunner.query(`
      CREATE TABLE incident (
        id uuid PRIMARY KEY,
        reference text NOT NULL,
        version integer NOT NULL DEFAULT 1,
        status text NOT NULL DEFAULT 'new'
          CHECK (status IN ('new', 'acknowledged', 'investigating', 'mitigated', 'resolved', 'closed')),
        resolution text,
        priority text NOT NULL,
        computed_priority text NOT NULL,
        override jsonb,
        score double precision NOT NULL,
        model text NOT NULL,
        breakdown jsonb NOT NULL,
        adjustments jsonb NOT NULL,
        phase text NOT NULL,
        submission jsonb NOT NULL,
        field_versions jsonb NOT NULL DEFAULT '{}',
        source_version integer NOT NULL DEFAULT 1,
        submitted_by jsonb NOT NULL,
        assignee text,
        acknowledged_at timestamptz,
        acknowledged_by jsonb,
        ack_deadline timestamptz,
        escalation_level integer NOT NULL DEFAULT 0,
        cluster_id uuid REFERENCES cluster (id),
        jurisdiction text NOT NULL,
        tlp text NOT NULL,
        category text NOT NULL,
        title text NOT NULL,
        received_at timestamptz NOT NULL,
        triaged_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL
      )`);
    // The queue: open incidents by priority rank then age.
    await queryRunner.query(`CREATE INDEX incident_open_idx ON incident (status, received_at) WHERE status NOT IN ('resolved', 'closed')`);
    await queryRunner.query(`CREATE INDEX incident_cluster_idx ON incident (cluster_id) WHERE cluster_id IS NOT NULL`);
    // Deadlines still to be met: what escalation scans.
    await queryRunner.query(`CREATE INDEX incident_ack_deadline_idx ON incident (ack_deadline) WHERE acknowledged_at IS NULL AND ack_deadline IS NOT NULL`);
    await queryRunner.query(`
      CREATE TABLE incident_timeline (
        id bigserial PRIMARY KEY,
        incident_id uuid NOT NULL REFERENCES incident (id),
        version integer NOT NULL,
        type text NOT NULL,
        event_id uuid NOT NULL,
        by jsonb,
        data jsonb NOT NULL,
        at timestamptz NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX incident_timeline_incident_idx ON incident_timeline (incident_id, id)`);
    await queryRunner.query(`
      CREATE TABLE incident_note (
        id uuid PRIMARY KEY,
        incident_id uuid NOT NULL REFERENCES incident (id),
        author jsonb NOT NULL,
        text text NOT NULL,
        tlp text NOT NULL,
        created_at timestamptz NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX incident_note_incident_idx ON incident_note (incident_id, created_at)`);
    await queryRunner.query(`
      CREATE TABLE incident_observable (
        incident_id uuid NOT NULL REFERENCES incident (id),
        type text NOT NULL,
        value text NOT NULL,
        reported_at timestamptz NOT NULL,
        PRIMARY KEY (incident_id, type, value)
      )`);
    await queryRunner.query(`CREATE INDEX incident_observable_value_idx ON incident_observable (type, value, reported_at)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE incident_observable`);
    await queryRunner.query(`DROP TABLE incident_note`);
    await queryRunner.query(`DROP TABLE incident_timeline`);
    await queryRunner.query(`DROP TABLE incident`);
    await queryRunner.query(`DROP TABLE cluster`);
  }
}
