import { EVENT_TYPES, EVENT_CATALOGUE } from '@watchfloor/contracts';
import { planConsumers } from './consumer-plan';

const INCIDENT_TYPES = EVENT_TYPES.filter((type) => EVENT_CATALOGUE[type].stream === 'INCIDENTS');
const brief = (plan: ReturnType<typeof planConsumers>) => plan.map(({ stream, durable, filterSubject }) => `${stream} ${durable} ${filterSubject}`);

describe('planConsumers: one filter subject per consumer (nats-server 2.9)', () => {
  it('one event type in every state: one consumer named as asked', () => {
    expect(brief(planConsumers({ durableName: 'soar', types: ['watchfloor.incident.reported.v1'] }))).toEqual(['INCIDENTS soar incident.reported.>']);
  });

  it('one event type in one state', () => {
    expect(brief(planConsumers({ durableName: 'soar', types: ['watchfloor.incident.reported.v1'], states: ['ga'] }))).toEqual(['INCIDENTS soar incident.reported.ga']);
  });

  it('every incident event collapses into one consumer of the stream, or of one state', () => {
    expect(brief(planConsumers({ durableName: 'soar', types: INCIDENT_TYPES }))).toEqual(['INCIDENTS soar incident.>']);
    expect(brief(planConsumers({ durableName: 'soar', types: INCIDENT_TYPES, states: ['ga'] }))).toEqual(['INCIDENTS soar incident.*.ga']);
  });

  it('several types or states: one consumer per pair, named after it', () => {
    expect(brief(planConsumers({ durableName: 'soar', types: ['watchfloor.incident.reported.v1', 'watchfloor.incident.triaged.v1'], states: ['ga', 'pa'] }))).toEqual([
      'INCIDENTS soar--incident-reported-ga incident.reported.ga',
      'INCIDENTS soar--incident-reported-pa incident.reported.pa',
      'INCIDENTS soar--incident-triaged-ga incident.triaged.ga',
      'INCIDENTS soar--incident-triaged-pa incident.triaged.pa',
    ]);
  });

  it('types of other streams read their own stream', () => {
    expect(brief(planConsumers({ durableName: 'ops', types: ['watchfloor.incident.escalated.v1', 'watchfloor.audit.checkpoint.v1'] }))).toEqual([
      'INCIDENTS ops--incident-escalated incident.escalated.>',
      'AUDIT ops--audit audit.>',
    ]);
  });

  it("applies the deployment's namespace to streams and subjects", () => {
    expect(brief(planConsumers({ durableName: 'soar', types: ['watchfloor.incident.reported.v1'], namespace: 'staging' }))).toEqual(['staging_INCIDENTS soar staging.incident.reported.>']);
  });

  it('refuses what would inject subject wildcards or break a durable name', () => {
    expect(() => planConsumers({ durableName: 'soar', types: ['watchfloor.incident.reported.v1'], states: ['ga.>'] })).toThrow(/state "ga.>"/);
    expect(() => planConsumers({ durableName: 'soar.one', types: ['watchfloor.incident.reported.v1'] })).toThrow(/durableName/);
    expect(() => planConsumers({ durableName: 'soar', types: [] })).toThrow(/at least one event type/);
  });
});
