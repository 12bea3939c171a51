import { ServiceOverloadedError } from '@watchfloor/platform';
import { SubmissionQueue } from './submission-queue';

describe('SubmissionQueue', () => {
  let clock: number;
  const queue = (maxWaiting: number, maxWaitMs = 1000) => new SubmissionQueue({ maxWaiting, maxWaitMs, retryAfterSeconds: 3 }, () => clock);
  beforeEach(() => {
    clock = 1_000_000;
  });

  const refusalOf = (run: () => void): ServiceOverloadedError => {
    try {
      run();
    } catch (error) {
      if (error instanceof ServiceOverloadedError) return error;
      throw error;
    }
    throw new Error('was admitted');
  };

  it('admits up to its bound of waiting submissions, then refuses with Retry-After', () => {
    const q = queue(2);
    q.admit({});
    q.admit({});
    const refused = refusalOf(() => q.admit({}));
    expect(refused).toMatchObject({ code: 'SERVICE.OVERLOADED', kind: 'unavailable', retryAfterSeconds: 3 });
    expect(q.waiting).toBe(2);
  });

  it('admits again once waiting submissions have started', () => {
    const q = queue(1);
    const first = {};
    q.admit(first);
    refusalOf(() => q.admit({}));
    q.started(first);
    q.started(first); // settling after starting is the same
    expect(() => q.admit({})).not.toThrow();
  });

  it('refuses while the oldest waiting submission has waited past the bound, and recovers when it starts', () => {
    const q = queue(100, 1000);
    const oldest = {};
    q.admit(oldest);
    clock += 600;
    const younger = {};
    q.admit(younger);
    clock += 401;
    expect(q.oldestWaitMs()).toBe(1001);
    expect(refusalOf(() => q.admit({})).message).toMatch(/waiting too long/);
    q.started(oldest);
    expect(q.oldestWaitMs()).toBe(401);
    expect(() => q.admit({})).not.toThrow();
  });

  it('forgets nothing it never admitted', () => {
    const q = queue(1);
    q.started({});
    expect(q.waiting).toBe(0);
    expect(q.oldestWaitMs()).toBe(0);
  });
});
