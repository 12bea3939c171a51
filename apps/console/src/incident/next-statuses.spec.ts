import { INCIDENT_TRANSITIONS } from '@watchfloor/contracts';
import { NEXT_STATUSES } from './next-statuses';

describe('the status moves the console offers', () => {
  it('are the lifecycle of the contract (DOMAIN.md), no more and no fewer', () => {
    expect(NEXT_STATUSES).toEqual(INCIDENT_TRANSITIONS);
  });
});
