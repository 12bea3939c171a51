import type { AnyEvent, Tlp } from '@watchfloor/contracts';

/** A notification e-mail: subject, plain text and HTML, all from the (redacted) event. */
export interface EmailContent {
  subject: string;
  text: string;
  html: string;
}

// TLP 2.0 (FIRST) sharing rules, stated at the top of every message as the standard asks.
const TLP_RULES: Record<Exclude<Tlp, 'red'>, string> = {
  clear: 'Recipients can spread this to the world; there is no limit on disclosure.',
  green: 'Recipients can spread this within their community, but not via publicly accessible channels.',
  amber: 'Recipients can only spread this on a need-to-know basis within their organization and its clients.',
  'amber+strict': 'Recipients can only spread this on a need-to-know basis within their organization.',
};

type Line = [label: string, value: string | number | boolean | undefined];

/** Headline and key facts of each routable event, in the words of the operations center. */
function summary(event: AnyEvent): { headline: string; lines: Line[] } {
  switch (event.type) {
    case 'watchfloor.incident.reported.v1': {
      const { submission: s, reference } = event.data;
      return {
        headline: `new incident ${reference}: ${s.title}`,
        lines: [['Reference', reference], ['Title', s.title], ['Category', s.category], ['Jurisdiction', s.jurisdiction],
          ['Affected assets', s.affectedAssets.join(', ') || 'none stated'],
          ['Observables', s.observables.map((o) => `${o.type} ${o.value}`).join('; ') || 'none'], ['Description', s.description]],
      };
    }
    case 'watchfloor.incident.updated.v1':
      return { headline: 'incident updated', lines: [['Note', event.data.note], ['Observables added', event.data.observables?.map((o) => `${o.type} ${o.value}`).join('; ')]] };
    case 'watchfloor.incident.triaged.v1':
      return { headline: `incident triaged: priority ${event.data.priority}`, lines: [['Priority', event.data.priority], ['Score', event.data.score], ['Phase', event.data.phase], ['Acknowledgement due', event.data.ackDeadline]] };
    case 'watchfloor.incident.reprioritized.v1':
      return { headline: `priority ${event.data.from} -> ${event.data.to}`, lines: [['From', event.data.from], ['To', event.data.to], ['Reason', event.data.reason]] };
    case 'watchfloor.incident.assigned.v1':
      return { headline: `incident assigned to ${event.data.assignee}`, lines: [['Assignee', event.data.assignee]] };
    case 'watchfloor.incident.acknowledged.v1':
      return { headline: 'incident acknowledged', lines: [['At', event.data.at], ['Within deadline', event.data.withinDeadline]] };
    case 'watchfloor.incident.escalated.v1':
      return { headline: `incident escalated (level ${event.data.level}, ${event.data.priority})`, lines: [['Priority', event.data.priority], ['Level', event.data.level], ['Reason', event.data.reason], ['Deadline', event.data.deadline]] };
    case 'watchfloor.incident.status_changed.v1':
      return { headline: `status ${event.data.from} -> ${event.data.to}`, lines: [['From', event.data.from], ['To', event.data.to], ['Resolution', event.data.resolution], ['Note', event.data.note]] };
    case 'watchfloor.incident.correlated.v1':
      return {
        headline: `${event.data.campaign ? 'campaign' : 'related incidents'}: ${event.data.incidentIds.length} incidents`,
        lines: [['Incidents', event.data.incidentIds.join(', ')], ['Jurisdictions', event.data.jurisdictions.join(', ')],
          ['Shared observables', event.data.sharedObservables.map((o) => `${o.type} ${o.value}`).join('; ')], ['Campaign', event.data.campaign]],
      };
    default:
      return { headline: event.type, lines: [] };
  }
}

const escapeHtml = (value: string): string =>
  value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

/** Builds the e-mail for an event that may leave by e-mail (never `red`: routing stops those). */
export function composeEmail(event: AnyEvent): EmailContent {
  const tlp = event.tlp === 'red' ? 'amber+strict' : event.tlp;
  const label = `TLP:${tlp.toUpperCase()}`;
  const { headline, lines } = summary(event);
  const facts: Line[] = [...lines, ['Event', event.type], ['Event id', event.id], ['About', event.subject], ['Jurisdiction', event.jurisdiction], ['Time', event.time]];
  const present = facts.filter((line): line is [string, string | number | boolean] => line[1] !== undefined && line[1] !== '');
  const json = JSON.stringify(event, null, 2);
  const exercise = event.exercise === undefined ? undefined : `EXERCISE ${event.exercise}`;
  const exerciseWarning = `${exercise}: this is exercise traffic, not a real incident.`;
  const text = [
    ...(exercise ? [exerciseWarning, ''] : []),
    `${label}: ${TLP_RULES[tlp]}`,
    '',
    `Watchfloor: ${headline}`,
    '',
    ...present.map(([k, v]) => `${k}: ${String(v)}`),
    '',
    'The event (CloudEvent, JSON):',
    json,
    '',
    `${label}`,
  ].join('\n');
  const html = `<!doctype html><html><body style="font-family:sans-serif">
${exercise ? `<p><strong>${escapeHtml(exerciseWarning)}</strong></p>\n` : ''}<p><strong>${escapeHtml(label)}</strong>: ${escapeHtml(TLP_RULES[tlp])}</p>
<h2>Watchfloor: ${escapeHtml(headline)}</h2>
<table>${present.map(([k, v]) => `<tr><th align="left">${escapeHtml(k)}</th><td>${escapeHtml(String(v))}</td></tr>`).join('')}</table>
<p>The event (CloudEvent, JSON):</p><pre>${escapeHtml(json)}</pre>
<p><strong>${escapeHtml(label)}</strong></p>
</body></html>`;
  return { subject: `${exercise ? `[${exercise}] ` : ''}[${label}] Watchfloor: ${headline}`.slice(0, 250), text, html };
}
