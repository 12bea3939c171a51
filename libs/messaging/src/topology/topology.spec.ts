import { backoffFor, defineConsumer } from './consumer-definition';
import { Topology } from './topology';

describe('Topology', () => {
  it('uses the names of EVENTS.md without a namespace', () => {
    const topology = new Topology();
    expect(topology.streamName('INCIDENTS')).toBe('INCIDENTS');
    expect(topology.eventSubject({ type: 'watchfloor.incident.reported.v1', jurisdiction: 'ocd-division/country:us/state:ga/county:fulton' })).toBe('incident.reported.ga');
    expect(topology.deadLetterSubject('triage', 'incident.reported.ga')).toBe('deadletter.triage.incident.reported.ga');
  });

  it('prefixes stream names and subjects with the namespace everywhere', () => {
    const topology = new Topology('t1');
    expect(topology.streamName('INCIDENTS')).toBe('t1_INCIDENTS');
    expect(topology.eventSubject({ type: 'watchfloor.incident.triaged.v1', jurisdiction: 'ocd-division/country:us' })).toBe('t1.incident.triaged.us');
    expect(topology.deadLetterSubject('triage', 't1.incident.reported.ga')).toBe('t1.deadletter.triage.incident.reported.ga');
    expect(topology.streamConfigs().map((c) => [c.name, c.subjects])).toEqual([
      ['t1_INCIDENTS', ['t1.incident.>']],
      ['t1_NOTIFICATIONS', ['t1.notification.>']],
      ['t1_AUDIT', ['t1.audit.>']],
      ['t1_DEADLETTER', ['t1.deadletter.>']],
    ]);
    const consumer = topology.consumerConfig(defineConsumer('intake', 'watchfloor.incident.triaged.v1'));
    expect(consumer.filter_subject).toBe('t1.incident.triaged.>');
  });

  it('keeps one copy of each stream unless told to replicate it on a cluster', () => {
    expect(new Topology().streamConfigs().map((c) => c.num_replicas)).toEqual([1, 1, 1, 1]);
    expect(new Topology('', { replicas: 3 }).streamConfigs().map((c) => c.num_replicas)).toEqual([3, 3, 3, 3]);
    expect(() => new Topology('', { replicas: 0 })).toThrow(/replicas/);
  });

  it('refuses a namespace that could inject subject tokens', () => {
    expect(() => new Topology('a.b')).toThrow();
    expect(() => new Topology('*')).toThrow();
  });
});

describe('defineConsumer', () => {
  it('names the consumer <service>--<event> with one filter subject and the default back-off', () => {
    expect(defineConsumer('intake', 'watchfloor.incident.triaged.v1')).toEqual({
      service: 'intake',
      eventType: 'watchfloor.incident.triaged.v1',
      durable: 'intake--incident-triaged',
      stream: 'INCIDENTS',
      filterSubject: 'incident.triaged.>',
      maxDeliver: 5,
      backoffMs: [1_000, 5_000, 30_000, 120_000],
    });
  });

  it('requires max_deliver above the number of back-off steps, as the server does', () => {
    expect(() => defineConsumer('intake', 'watchfloor.incident.triaged.v1', { maxDeliver: 4 })).toThrow(/must exceed/);
    expect(() => defineConsumer('intake', 'watchfloor.incident.triaged.v1', { backoffMs: [] })).toThrow(/must not be empty/);
    expect(() => defineConsumer('Intake!', 'watchfloor.incident.triaged.v1')).toThrow(/service name/);
  });

  it('gives the back-off of each delivery, the last step repeating', () => {
    const definition = defineConsumer('intake', 'watchfloor.incident.triaged.v1', { maxDeliver: 6 });
    expect([1, 2, 3, 4, 5].map((n) => backoffFor(definition, n))).toEqual([1_000, 5_000, 30_000, 120_000, 120_000]);
  });
});
