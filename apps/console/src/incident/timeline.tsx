import type { IncidentDetail } from '../api/triage';
import { formatTime } from '../ui/time';

/** `watchfloor.incident.status_changed.v1` -> "status changed". */
export const eventWords = (type: string) => type.replace(/^watchfloor\.incident\./, '').replace(/\.v\d+$/, '').replace(/_/g, ' ');

/** Who did it, in a few words. */
export const actorWords = (by: IncidentDetail['timeline'][number]['by']) => (by ? (by.sub ?? by.kind) : 'the system');

/** Everything that happened to the incident, oldest first. */
export function Timeline({ incident }: { incident: IncidentDetail }) {
  return (
    <section aria-labelledby="timeline-title" className="panel">
      <h2 id="timeline-title">Timeline</h2>
      <ol className="history">
        {incident.timeline.map((entry) => (
          <li key={`${entry.version}-${entry.type}-${entry.at}`}>
            <strong>{eventWords(entry.type)}</strong> by {actorWords(entry.by)} <span className="muted">{formatTime(entry.at)}</span>
          </li>
        ))}
      </ol>
      {incident.notes.length > 0 && (
        <>
          <h3>Notes</h3>
          <ul>
            {incident.notes.map((note) => (
              <li key={note.id}>
                <span className="badge">TLP:{note.tlp.toUpperCase()}</span> {note.text} <span className="muted">— {note.author.sub}, {formatTime(note.createdAt)}</span>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
