import { jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { connect } from '@nats-io/transport-node';
import { normalizeSubmission, type PriorityLevel } from '@watchfloor/contracts';
import { aSubmission, FULTON } from '@watchfloor/testing';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { TriageIncident } from '../src/incidents/incident.record';
import { IncidentRepository } from '../src/incidents/incident.repository';

/**
 * Puts a triaged incident straight into triage's table, as the core's triage step leaves it
 * (`status: 'new'`, `ack_deadline` set): escalation's suites test escalation, not scoring.
 */
export async function seedIncident(
  dataSource: DataSource,
  options: { priority?: PriorityLevel; ackDeadline: Date | null; status?: TriageIncident['status']; tlp?: string },
): Promise<TriageIncident> {
  const now = new Date();
  const submission = normalizeSubmission(aSubmission({ title: 'Bomb threat phoned in to the Fulton County elections hub', category: 'physical_threat', jurisdiction: FULTON }));
  const priority = options.priority ?? 'emergency';
  const incident: TriageIncident = {
    id: randomUUID(),
    reference: `WF-2026-${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}`,
    version: 1,
    status: options.status ?? 'new',
    resolution: options.status === 'resolved' ? 'false_positive' : null,
    priority,
    computedPriority: priority,
    override: null,
    score: 95,
    model: 'nciss-notional-1',
    breakdown: [],
    adjustments: [],
    phase: 'election_day',
    submission,
    fieldVersions: {},
    sourceVersion: 1,
    submittedBy: { sub: 'clerk-fulton' },
    assignee: null,
    acknowledgedAt: null,
    acknowledgedBy: null,
    ackDeadline: options.ackDeadline,
    escalationLevel: 0,
    clusterId: null,
    jurisdiction: submission.jurisdiction,
    // A label outside TLP makes its events invalid: how a test plants a broken incident.
    tlp: (options.tlp ?? submission.tlp) as TriageIncident['tlp'],
    category: submission.category,
    title: submission.title,
    receivedAt: now,
    triagedAt: now,
    updatedAt: now,
  };
  await new IncidentRepository().insert(dataSource.manager, incident);
  return incident;
}

/** `data` of an `incident.escalated` event as it arrives on the stream. */
export interface EscalatedData {
  incidentId: string;
  version: number;
  level: number;
  priority: string;
  reason: string;
  deadline: string;
  nextDeadline?: string;
  escalatedTo?: string;
}

/** Reads the `incident.escalated` events of a namespace's INCIDENTS stream. */
export class EscalationsOnStream {
  private constructor(
    private readonly nc: NatsConnection,
    private readonly jsm: JetStreamManager,
    private readonly stream: string,
  ) {}

  static async open(url: string, namespace?: string): Promise<EscalationsOnStream> {
    const nc = await connect({ servers: url });
    return new EscalationsOnStream(nc, await jetstreamManager(nc), namespace ? `${namespace}_INCIDENTS` : 'INCIDENTS');
  }

  /** Every escalation on the stream, in stream order, optionally of one incident. */
  async list(incidentId?: string): Promise<EscalatedData[]> {
    const { state } = await this.jsm.streams.info(this.stream);
    const found: EscalatedData[] = [];
    for (let seq = state.first_seq; state.messages > 0 && seq <= state.last_seq; seq++) {
      const message = await this.jsm.streams.getMessage(this.stream, { seq });
      const event = message?.json<{ type: string; data: EscalatedData }>();
      if (event?.type === 'watchfloor.incident.escalated.v1' && (incidentId === undefined || event.data.incidentId === incidentId)) found.push(event.data);
    }
    return found;
  }

  close(): Promise<void> {
    return this.nc.close();
  }
}
