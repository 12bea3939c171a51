import { Inject, Injectable } from '@nestjs/common';
import { TLP_LEVELS, tlpAllows } from '@watchfloor/contracts';
import { type Caller, canActFor } from '@watchfloor/platform';
import { canRead, isStaff } from './incident-access';
import { incidentNotFound, jurisdictionForbidden } from './incident.errors';
import { IncidentRepository } from './incident.repository';
import { IncidentStore } from './incident.store';
import { incidentSummary, incidentView } from './incident.view';
import { decodeCursor, encodeCursor } from './list-cursor';
import type { ListIncidentsQuery } from './dto/list-incidents.query';

/** `GET /v1/incidents/:id` and `GET /v1/incidents`, within what the caller may see. */
@Injectable()
export class ReadIncidents {
  constructor(
    @Inject(IncidentStore) private readonly store: IncidentStore,
    @Inject(IncidentRepository) private readonly incidents: IncidentRepository,
  ) {}

  async get(caller: Caller, id: string) {
    const incident = await this.incidents.findById(this.store.manager, id);
    if (!incident || !canRead(caller, incident)) throw incidentNotFound(id);
    return incidentView(incident, await this.incidents.listUpdates(this.store.manager, incident.id));
  }

  async list(caller: Caller, query: ListIncidentsQuery) {
    const staff = isStaff(caller);
    if (query.jurisdiction !== undefined && !staff && !canActFor(caller, query.jurisdiction)) {
      throw jurisdictionForbidden(query.jurisdiction);
    }
    const within = query.jurisdiction ?? (staff ? undefined : caller.jurisdiction);
    if (!staff && within === undefined) return { items: [], nextCursor: null };
    const limit = query.limit ?? 50;
    const rows = await this.incidents.list(this.store.manager, {
      within,
      tlpVisible: staff ? undefined : TLP_LEVELS.filter((tlp) => tlpAllows(caller.clearance, tlp)),
      viewerSub: caller.sub,
      status: query.status,
      exercise: query.exercise,
      since: query.since === undefined ? undefined : new Date(query.since),
      before: query.cursor === undefined ? undefined : decodeCursor(query.cursor),
      limit: limit + 1,
    });
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map(incidentSummary),
      nextCursor: rows.length > limit && last ? encodeCursor({ receivedAt: last.receivedAt, id: last.id }) : null,
    };
  }
}
