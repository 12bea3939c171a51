import { loadConfig } from '@watchfloor/platform';
import { TriageEnv } from '../config';
import { deadlineAtLevel } from './ack-deadline';
import type { TriageIncident } from './incident.record';

const config = loadConfig(TriageEnv, {});
const at = new Date('2028-11-07T13:00:00.000Z');
const minutes = (n: number) => new Date(at.getTime() + n * 60_000);
const incident = (fields: Partial<TriageIncident>) => ({ version: 1, acknowledgedAt: null, ackDeadline: null, ...fields }) as TriageIncident;

describe('deadlineAtLevel (DOMAIN.md defaults)', () => {
  it('at first triage: the level’s deadline from now; none for baseline', () => {
    expect(deadlineAtLevel(config, incident({ version: 0 }), 'emergency', at)).toEqual(minutes(5));
    expect(deadlineAtLevel(config, incident({ version: 0 }), 'low', at)).toEqual(minutes(240));
    expect(deadlineAtLevel(config, incident({ version: 0 }), 'baseline', at)).toBeNull();
  });

  it('a raised level brings it forward; a lowered one never pushes it back', () => {
    expect(deadlineAtLevel(config, incident({ ackDeadline: minutes(60) }), 'severe', at)).toEqual(minutes(10));
    expect(deadlineAtLevel(config, incident({ ackDeadline: minutes(10) }), 'low', at)).toEqual(minutes(10));
    expect(deadlineAtLevel(config, incident({ ackDeadline: null }), 'medium', at)).toEqual(minutes(60));
    expect(deadlineAtLevel(config, incident({ ackDeadline: minutes(10) }), 'baseline', at)).toEqual(minutes(10));
  });

  it('no longer moves once acknowledged', () => {
    expect(deadlineAtLevel(config, incident({ ackDeadline: minutes(60), acknowledgedAt: at }), 'emergency', at)).toEqual(minutes(60));
  });
});
