import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { TriageIncident } from '../incidents/incident.record';
import { IncidentRepository } from '../incidents/incident.repository';
import { incidentNotFound, staleVersion } from './lifecycle.errors';

/**
 * Runs one staff action on one incident: a transaction, the row locked, 404 when absent,
 * 412 when `If-Match` names another version. The messaging lib kicks the relay after
 * the commit.
 */
@Injectable()
export class IncidentMutation {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(IncidentRepository) private readonly incidents: IncidentRepository,
  ) {}

  run<T>(id: string, expectedVersion: number | undefined, work: (manager: EntityManager, incident: TriageIncident) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(async (manager) => {
      const incident = await this.incidents.findById(manager, id, { lock: true });
      if (!incident || incident.version === 0) throw incidentNotFound(id);
      if (expectedVersion !== undefined && expectedVersion !== incident.version) throw staleVersion(expectedVersion, incident.version);
      return work(manager, incident);
    });
  }
}
