import 'reflect-metadata';
import { createEvent, VALID_PAYLOADS, validateEvent, validateEventDataWithClassValidator, EVENT_TYPES } from '@watchfloor/contracts';
const meta = { source: '/x', subject: 's', tlp: 'amber' as const, jurisdiction: 'ocd-division/country:us/state:ga', correlationId: 'c' };
for (const t of EVENT_TYPES) {
  const e: any = JSON.parse(JSON.stringify(createEvent(t, VALID_PAYLOADS[t] as any, meta)));
  const a = validateEvent(e), b = validateEvent(e, validateEventDataWithClassValidator);
  console.log(t, a.ok, b.ok);
}
const e: any = JSON.parse(JSON.stringify(createEvent('watchfloor.incident.reported.v1', VALID_PAYLOADS['watchfloor.incident.reported.v1'], meta)));
const cases: any[] = [];
{ const y = JSON.parse(JSON.stringify(e)); y.data.submission = 'str'; cases.push(y); }
{ const z = JSON.parse(JSON.stringify(e)); z.data.submission.observables = [1, [{type: 'x'}], null]; cases.push(z); }
{ const z = JSON.parse(JSON.stringify(e)); z.data.submission.impacts = [{}]; z.data.version = '1'; z.data.extra = {}; cases.push(z); }
{ const z = JSON.parse(JSON.stringify(e)); z.data = {}; cases.push(z); }
{ const z = JSON.parse(JSON.stringify(e)); z.data.submission.toString = 1; cases.push(z); }
for (const c of cases) { const a = JSON.stringify(validateEvent(c)), b = JSON.stringify(validateEvent(c, validateEventDataWithClassValidator)); console.log(a === b ? 'SAME' : 'DIFF', a, a === b ? '' : '\n   ' + b); }
