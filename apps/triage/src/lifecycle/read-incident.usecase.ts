import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ClusterRepository } from '../clusters/cluster.repository';
import type { TriageIncident } from '../incidents/incident.record';
import { IncidentRepository } from '../incidents/incident.repository';
import { incidentDetail, type IncidentDetailView, type NoteView } from '../incidents/incident.view';
import { TimelineRepository } from '../incidents/timeline.repository';
import { safetyGuidance } from '../scoring/score';
import { Scorer } from '../scoring/scorer';
import { incidentNotFound } from './lifecycle.errors';

/** `GET /v1/incidents/:id`: everything triage knows about one incident. */
@Injectable()
export class ReadIncident {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(IncidentRepository) private readonly incidents: IncidentRepository,
    @Inject(TimelineRepository) private readonly timeline: TimelineRepository,
    @Inject(ClusterRepository) private readonly clusters: ClusterRepository,
    @Inject(Scorer) private readonly scorer: Scorer,
  ) {}

  async execute(id: string): Promise<IncidentDetailView> {
    const incident = await this.incidents.findById(this.dataSource.manager, id);
    if (!incident || incident.version === 0) throw incidentNotFound(id);
    return this.detail(incident);
  }

  /** The detail of an incident already read (after a change, say). */
  async detail(incident: TriageIncident): Promise<IncidentDetailView> {
    const manager = this.dataSource.manager;
    const [notes, timeline, cluster] = await Promise.all([
      manager.query(`SELECT id, author, text, tlp, created_at FROM incident_note WHERE incident_id = $1 ORDER BY created_at, id`, [incident.id]) as Promise<
        Array<{ id: string; author: NoteView['author']; text: string; tlp: string; created_at: Date }>
      >,
      this.timeline.list(manager, incident.id),
      incident.clusterId ? this.clusters.findById(manager, incident.clusterId) : Promise.resolve(undefined),
    ]);
    const guidance = safetyGuidance(this.scorer.model, incident.category);
    return incidentDetail(incident, {
      notes: notes.map((n) => ({ id: n.id, author: n.author, text: n.text, tlp: n.tlp, createdAt: n.created_at.toISOString() })),
      timeline,
      cluster: cluster ?? null,
      ...(guidance ? { guidance } : {}),
    });
  }
}
