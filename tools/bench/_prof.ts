import 'reflect-metadata';
import { createEvent, VALID_PAYLOADS, validateEvent, normalizeSubmission } from '@watchfloor/contracts';
import { generateSubmissions } from './submissions';
const meta = { source: '/x', subject: 's', tlp: 'amber' as const, jurisdiction: 'ocd-division/country:us/state:ga', correlationId: 'c' };
const evs = generateSubmissions(200, 1).map((s) => JSON.parse(JSON.stringify(createEvent('watchfloor.incident.reported.v1', { ...VALID_PAYLOADS['watchfloor.incident.reported.v1'], submission: normalizeSubmission(JSON.parse(JSON.stringify(s))) }, meta))));
const t = Date.now(); let n = 0;
while (Date.now() - t < 4000) { for (const e of evs) validateEvent(e); n += evs.length; }
console.log((4000e3 / n).toFixed(1), 'µs');
