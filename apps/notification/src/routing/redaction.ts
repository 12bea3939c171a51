import type { AnyEvent } from '@watchfloor/contracts';

/** Reporter fields that are contact details: never in a notification. */
const CONTACT_FIELDS = ['email', 'phone'] as const;

/**
 * The event as it leaves Watchfloor: the same CloudEvent with the reporter's contact
 * details removed (partners reach reporters through the operations center), and without the
 * note a triage officer may write on a status change: notes are the floor's own, as
 * `incident.note_added` (never routable) is; the status, resolution and who changed it stay.
 * A copy; the event given is not changed.
 */
export function redactForNotification(event: AnyEvent): AnyEvent {
  if (event.type === 'watchfloor.incident.status_changed.v1') {
    const { note: _note, ...data } = event.data;
    return { ...event, data };
  }
  if (event.type !== 'watchfloor.incident.reported.v1') return event;
  const reporter = { ...event.data.submission.reporter };
  for (const field of CONTACT_FIELDS) delete reporter[field];
  return { ...event, data: { ...event.data, submission: { ...event.data.submission, reporter } } };
}
