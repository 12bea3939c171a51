import { EVENT_CATALOGUE, EVENT_TYPES, isEventType, type EventOf, type EventType } from './catalogue';
import { createEvent, type EventMeta } from './create-event';
import { VALID_PAYLOADS } from './payload.fixtures';
import { STREAMS } from './streams';
import { consumerNameFor, filterSubjectFor, subjectFor } from './subjects';
import { validateEvent, validateEventData, validateEventDataWithClassValidator } from './validate-event';

const meta: EventMeta = {
  source: '/watchfloor/intake',
  subject: '0193b0f4-6c1e-7d3a-9f5e-2b1c4d5e6f70',
  tlp: 'amber',
  jurisdiction: 'ocd-division/country:us/state:ga/county:fulton',
  correlationId: 'req-123',
};

function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

describe('event catalogue', () => {
  it('describes every event type, and only those', () => {
    expect(Object.keys(EVENT_CATALOGUE).sort()).toEqual([...EVENT_TYPES].sort());
    expect(EVENT_TYPES).toHaveLength(15);
  });

  it.each(EVENT_TYPES)('%s has a payload class, a subject in its stream and a schema URL', (type) => {
    const entry = EVENT_CATALOGUE[type];
    expect(entry.type).toBe(type);
    expect(typeof entry.payload).toBe('function');
    expect(new entry.payload()).toBeInstanceOf(entry.payload);
    expect(entry.subjectBase.startsWith(`${STREAMS[entry.stream].subjectRoot}.`)).toBe(true);
    expect(entry.schemaUrl).toBe(`https://watchfloor.dev/schemas/${type.slice('watchfloor.'.length)}.json`);
  });

  it.each(EVENT_TYPES)('accepts a valid %s payload as JSON', (type) => {
    const data = clone(VALID_PAYLOADS[type]);
    const result = validateEventData(type, data);
    expect(result.ok ? [] : result.errors).toEqual([]);
    // The checked data itself; class-validator, the reference, builds the payload class.
    expect(result.ok && result.value).toBe(data);
    const reference = validateEventDataWithClassValidator(type, clone(VALID_PAYLOADS[type]));
    expect(reference.ok && reference.value).toBeInstanceOf(EVENT_CATALOGUE[type].payload);
  });

  it.each(EVENT_TYPES)('rejects a %s payload with an unknown field', (type) => {
    const result = validateEventData(type, { ...clone(VALID_PAYLOADS[type]), surprise: 1 });
    expect(result.ok ? [] : result.errors).toEqual([{ field: 'surprise', message: 'property surprise should not exist' }]);
  });

  const brokenPayloads: [type: EventType, change: Record<string, unknown>, fields: string[]][] = [
    ['watchfloor.incident.reported.v1', { version: 2 }, ['version']],
    ['watchfloor.incident.reported.v1', { reference: 'WF-24-1' }, ['reference']],
    ['watchfloor.incident.status_changed.v1', { resolution: undefined }, ['resolution']],
    ['watchfloor.incident.status_changed.v1', { to: 'reopened' }, ['to']],
    ['watchfloor.incident.escalated.v1', { reason: 'manual' }, ['by']],
    ['watchfloor.incident.assigned.v1', { by: { kind: 'system' } }, ['by.rule']],
    ['watchfloor.incident.acknowledged.v1', { by: { kind: 'user', rule: 'Not A Rule' } }, ['by.sub', 'by.rule']],
    ['watchfloor.incident.updated.v1', { note: undefined }, ['note']],
    ['watchfloor.incident.updated.v1', { changes: {} }, ['changes']],
    ['watchfloor.incident.triaged.v1', { score: 101, breakdown: [{ factor: 'vibes' }] }, ['score', 'breakdown[0].factor', 'breakdown[0].input', 'breakdown[0].value', 'breakdown[0].weight', 'breakdown[0].contribution']],
    ['watchfloor.incident.correlated.v1', { incidentIds: ['0193b0f4-6c1e-7d3a-9f5e-2b1c4d5e6f70'], jurisdictions: ['ocd-division/country:ca'] }, ['incidentIds', 'jurisdictions']],
    ['watchfloor.incident.note_added.v1', { version: 0, tlp: null }, ['version', 'tlp']],
    ['watchfloor.notification.failed.v1', { eventType: 'watchfloor.nothing.v1', deadLettered: 'yes' }, ['eventType', 'deadLettered']],
    ['watchfloor.subscription.changed.v1', { action: 'renamed', secret: 'whsec_x' }, ['secret', 'action']],
    ['watchfloor.audit.checkpoint.v1', { hash: 'E3B0', signature: 'short' }, ['hash', 'signature']],
    ['watchfloor.incident.assigned.v1', { exercise: 'Tabletop 1' }, ['exercise']],
    ['watchfloor.exercise.purged.v1', { exercise: '-x', service: 'audit', removed: { incidents: -1 } }, ['exercise', 'service', 'removed.incidents']],
  ];

  it.each(brokenPayloads)('rejects a broken %s payload %j', (type, change, fields) => {
    const result = validateEventData(type, clone({ ...VALID_PAYLOADS[type], ...change }));
    expect(result.ok ? [] : [...new Set(result.errors.map((error) => error.field))].sort()).toEqual([...fields].sort());
  });

  it('does not apply clock rules to recorded data', () => {
    const payload = clone(VALID_PAYLOADS['watchfloor.incident.reported.v1']);
    const result = validateEventData('watchfloor.incident.reported.v1', { ...payload, submission: { ...payload.submission, detectedAt: '2099-01-01T00:00:00Z' } });
    expect(result.ok).toBe(true);
  });

  it('requires the published submission to carry its TLP', () => {
    const payload = clone(VALID_PAYLOADS['watchfloor.incident.reported.v1']);
    const { tlp: _tlp, ...submission } = payload.submission;
    const result = validateEventData('watchfloor.incident.reported.v1', { ...payload, submission });
    expect(result.ok ? [] : result.errors).toEqual([{ field: 'submission', message: 'submission must be normalised (tlp set)' }]);
  });

  it('recognises event types', () => {
    expect(isEventType('watchfloor.incident.reported.v1')).toBe(true);
    expect(isEventType('watchfloor.incident.reported.v2')).toBe(false);
  });
});

describe('subjects', () => {
  it.each([
    ['watchfloor.incident.reported.v1', 'ga', 'incident.reported.ga'],
    ['watchfloor.incident.status_changed.v1', 'wi', 'incident.status_changed.wi'],
    ['watchfloor.incident.correlated.v1', 'us', 'incident.correlated.us'],
    ['watchfloor.notification.failed.v1', 'pr', 'notification.failed.pr'],
    ['watchfloor.subscription.changed.v1', 'ga', 'notification.subscription.us'],
    ['watchfloor.audit.checkpoint.v1', 'ga', 'audit.checkpoint.us'],
    ['watchfloor.exercise.purged.v1', 'ga', 'incident.exercise_purged.us'],
  ] as const)('%s in %s -> %s', (type, token, subject) => {
    expect(subjectFor(type, token)).toBe(subject);
  });

  it.each(['', 'GA', 'g', 'ga.>', '*'])('refuses state token %j', (token) => {
    expect(() => subjectFor('watchfloor.incident.reported.v1', token)).toThrow(TypeError);
  });

  it('names filters and durable consumers as in EVENTS.md', () => {
    expect(filterSubjectFor('watchfloor.incident.reported.v1')).toBe('incident.reported.>');
    expect(consumerNameFor('triage', 'watchfloor.incident.reported.v1')).toBe('triage--incident-reported');
  });
});

describe('createEvent', () => {
  it('builds a CloudEvent with a UUIDv7 id, millisecond time and the schema URL', () => {
    const data = VALID_PAYLOADS['watchfloor.incident.assigned.v1'];
    const event: EventOf<'watchfloor.incident.assigned.v1'> = createEvent('watchfloor.incident.assigned.v1', data, {
      ...meta,
      time: new Date('2026-11-03T13:05:07Z'),
    });
    expect(event).toEqual({
      specversion: '1.0',
      id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
      source: '/watchfloor/intake',
      type: 'watchfloor.incident.assigned.v1',
      subject: meta.subject,
      time: '2026-11-03T13:05:07.000Z',
      datacontenttype: 'application/json',
      dataschema: 'https://watchfloor.dev/schemas/incident.assigned.v1.json',
      tlp: 'amber',
      jurisdiction: meta.jurisdiction,
      correlationid: 'req-123',
      data,
    });
    expect(event).not.toHaveProperty('traceparent');
  });

  it('keeps a given id and traceparent', () => {
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    const event = createEvent('watchfloor.audit.checkpoint.v1', VALID_PAYLOADS['watchfloor.audit.checkpoint.v1'], { ...meta, id: meta.subject, traceparent });
    expect(event.id).toBe(meta.subject);
    expect(event.traceparent).toBe(traceparent);
  });

  it('only compiles with the payload of its type', () => {
    // @ts-expect-error an assignment is not an acknowledgement
    createEvent('watchfloor.incident.acknowledged.v1', VALID_PAYLOADS['watchfloor.incident.assigned.v1'], meta);
    // @ts-expect-error a payload missing required fields
    createEvent('watchfloor.incident.triaged.v1', { incidentId: meta.subject, version: 2 }, meta);
    expect(true).toBe(true);
  });
});

describe('validateEvent', () => {
  function roundTrip<K extends EventType>(type: K): Record<string, unknown> {
    return clone(createEvent(type, VALID_PAYLOADS[type], meta)) as unknown as Record<string, unknown>;
  }

  it('accepts a published event and returns it as received', () => {
    const event = roundTrip('watchfloor.incident.reported.v1');
    const result = validateEvent(event);
    expect(result.ok ? [] : result.errors).toEqual([]);
    expect(result.ok && result.value).toEqual(event);
    expect(result.ok && result.value.data).toBe(event['data']);
  });

  it('names envelope and data fields', () => {
    const event = roundTrip('watchfloor.incident.reported.v1');
    const result = validateEvent({ ...event, tlp: 'white', jurisdiction: 'us', data: { ...(event['data'] as object), version: 2 } });
    expect(result.ok ? [] : result.errors.map((error) => error.field)).toEqual(['tlp', 'jurisdiction', 'data.version']);
  });

  it('repeats the data\'s exercise as the exercise attribute, and refuses an event where they differ', () => {
    const exercise = 'ga-tabletop-2026-10';
    const payload = clone(VALID_PAYLOADS['watchfloor.incident.reported.v1']);
    const event = clone(createEvent('watchfloor.incident.reported.v1', { ...payload, submission: { ...payload.submission, exercise } }, meta));
    expect(event.exercise).toBe(exercise);
    expect(validateEvent(event).ok).toBe(true);
    const real = roundTrip('watchfloor.incident.assigned.v1');
    expect(real).not.toHaveProperty('exercise');
    const relabelled = validateEvent({ ...real, exercise });
    expect(relabelled.ok ? [] : relabelled.errors.map((error) => error.field)).toEqual(['exercise']);
  });

  it('refuses prototype keys in the data, which class-transformer would drop unseen', () => {
    const event = roundTrip('watchfloor.incident.assigned.v1');
    for (const key of ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__']) {
      // As JSON.parse makes it: an own property, not the prototype.
      const data = JSON.parse(JSON.stringify(event['data']).replace('{', `{"${key}":{"isAdmin":true},`)) as Record<string, unknown>;
      const by = JSON.parse(JSON.stringify(event['data']).replace('"by":{', `"by":{"${key}":{"isAdmin":true},`)) as Record<string, unknown>;
      expect(validateEvent({ ...event, data })).toEqual({ ok: false, errors: [{ field: `data.${key}`, message: `property ${key} should not exist` }] });
      expect(validateEvent({ ...event, data: by })).toEqual({ ok: false, errors: [{ field: `data.by.${key}`, message: `property ${key} should not exist` }] });
    }
  });

  it('refuses data nested beyond the bound instead of overflowing the stack', () => {
    const event = roundTrip('watchfloor.incident.assigned.v1');
    const deep = JSON.parse(`${'['.repeat(50_000)}${']'.repeat(50_000)}`) as unknown;
    const result = validateEvent({ ...event, data: { ...(event['data'] as object), assignee: deep } });
    expect(result.ok ? [] : result.errors).toEqual([{ field: 'data.assignee[0][0][0][0][0][0][0][0][0][0][0][0][0][0][0]', message: 'assignee[0][0][0][0][0][0][0][0][0][0][0][0][0][0][0] is nested more than 16 levels deep' }]);
  });

  it('allows extension attributes only as CloudEvents defines them', () => {
    const event = roundTrip('watchfloor.incident.assigned.v1');
    expect(validateEvent({ ...event, partnerref: 'case-42', retries: 2, urgent: true }).ok).toBe(true);
    const refused = validateEvent({ ...event, Partner_Ref: 'x', nested: { a: 1 }, big: 'x'.repeat(257), ['__proto__']: 'x', [`${'n'.repeat(21)}`]: 'x', ratio: 0.5 });
    expect(refused.ok ? [] : refused.errors.map((error) => error.field)).toEqual(['Partner_Ref', 'nested', 'big', '__proto__', 'n'.repeat(21), 'ratio']);
    const many = Object.fromEntries(Array.from({ length: 17 }, (_, index) => [`ext${index}`, 'x']));
    expect(validateEvent({ ...event, ...many })).toEqual({ ok: false, errors: [{ field: '', message: 'event has 17 extension attributes; at most 16' }] });
  });

  it('rejects unknown types and non-objects', () => {
    expect(validateEvent({ ...roundTrip('watchfloor.incident.assigned.v1'), type: 'watchfloor.incident.assigned.v9' }).ok).toBe(false);
    expect(validateEvent('{}')).toEqual({ ok: false, errors: [{ field: '', message: 'event must be a JSON object' }] });
  });
});
