import { Inject, Injectable } from '@nestjs/common';
import type { Caller } from '@watchfloor/platform';
import { Clock } from '@watchfloor/persistence';
import { uuidv7 } from 'uuidv7';
import { IncidentChanges } from '../incidents/incident-changes';
import type { TriageIncident } from '../incidents/incident.record';
import type { NoteBody } from './dto/lifecycle.dto';
import { principalOf } from './initiator';
import { IncidentMutation } from './incident-mutation';

/** A note from triage, with its own TLP (default: the incident's); `incident.note_added`. */
@Injectable()
export class AddNote {
  constructor(
    @Inject(IncidentMutation) private readonly mutation: IncidentMutation,
    @Inject(IncidentChanges) private readonly changes: IncidentChanges,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  execute(caller: Caller, id: string, body: NoteBody, expectedVersion: number | undefined, correlationId: string): Promise<{ noteId: string; incident: TriageIncident }> {
    return this.mutation.run(id, expectedVersion, async (manager, incident) => {
      const noteId = uuidv7();
      const at = this.clock.now();
      const tlp = body.tlp ?? incident.tlp;
      const author = principalOf(caller);
      await manager.query(`INSERT INTO incident_note (id, incident_id, author, text, tlp, created_at) VALUES ($1, $2, $3::jsonb, $4, $5, $6)`, [
        noteId, incident.id, JSON.stringify(author), body.text, tlp, at,
      ]);
      const { incident: updated } = await this.changes.apply(manager, incident, {
        type: 'watchfloor.incident.note_added.v1',
        data: { noteId, author, text: body.text, tlp },
        by: { kind: 'user', ...author },
        tlp,
        correlationId,
        at,
      });
      return { noteId, incident: updated };
    });
  }
}
