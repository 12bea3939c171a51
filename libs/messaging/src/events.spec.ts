import { createEvent } from '@watchfloor/contracts';
import { assertValidEvent, checkEvent, InvalidEventError, misrouting, parseEvent } from './events';
import { eventHeaders, fromMsgHdrs, toMsgHdrs } from './headers';

const event = createEvent('watchfloor.incident.assigned.v1', {
  incidentId: '0193b0f4-6c1e-7d3a-9f5e-2b1c4d5e6f70',
  version: 3,
  assignee: 'triage-officer-2',
  by: { kind: 'system', rule: 'oncall_rotation' },
}, {
  source: '/watchfloor/triage',
  subject: '0193b0f4-6c1e-7d3a-9f5e-2b1c4d5e6f70',
  tlp: 'green',
  jurisdiction: 'ocd-division/country:us/state:ga',
  correlationId: 'req-1',
});

describe('events against the contract', () => {
  it('accepts a valid event', () => {
    expect(assertValidEvent(event).id).toBe(event.id);
    expect(parseEvent(Buffer.from(JSON.stringify(event)))).toMatchObject({ ok: true });
  });

  it('names what is wrong with an invalid one', () => {
    const broken = { ...event, data: { ...event.data, version: 'three' } };
    expect(() => assertValidEvent(broken as unknown as typeof event)).toThrow(InvalidEventError);
    const check = parseEvent(Buffer.from(JSON.stringify(broken)));
    expect(check).toMatchObject({ ok: false, claimed: { id: event.id, type: event.type } });
  });

  it('refuses, without throwing, an event its validation throws on', () => {
    const hostile = { ...event, get data(): unknown {
      throw new RangeError('Maximum call stack size exceeded');
    } };
    expect(checkEvent(hostile)).toEqual({ ok: false, errors: [{ field: '', message: 'event could not be validated: Maximum call stack size exceeded' }] });
  });

  it('takes an event only from the subject of its type and state', () => {
    expect(misrouting(event, 'incident.assigned.ga')).toBeUndefined();
    expect(misrouting(event, 'incident.assigned.pa')).toBe('watchfloor.incident.assigned.v1 of ocd-division/country:us/state:ga belongs on incident.assigned.ga, not incident.assigned.pa');
    expect(misrouting(event, 'incident.triaged.ga')).toMatch(/belongs on incident.assigned.ga/);
  });

  it('refuses a body that is not JSON', () => {
    expect(parseEvent(Buffer.from('{"id":'))).toEqual({ ok: false, errors: [{ field: '', message: 'body is not UTF-8 JSON' }] });
  });
});

describe('event headers', () => {
  it('carry Nats-Msg-Id = event id and the routing attributes', () => {
    const map = eventHeaders(event);
    expect(map).toEqual({
      'Nats-Msg-Id': event.id,
      'ce-type': 'watchfloor.incident.assigned.v1',
      tlp: 'green',
      jurisdiction: 'ocd-division/country:us/state:ga',
      'correlation-id': 'req-1',
    });
    expect(fromMsgHdrs(toMsgHdrs(map))).toEqual(map);
  });
});
