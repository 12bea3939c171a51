import { CircuitBreakers } from './circuit-breaker';

describe('CircuitBreakers', () => {
  let now = 0;
  const breakers = () => new CircuitBreakers(3, 1_000, () => now);

  beforeEach(() => (now = 0));

  it('stays closed below the threshold and resets on success', () => {
    const b = breakers();
    b.failure('a');
    b.failure('a');
    expect(b.admit('a')).toBe('closed');
    b.success('a');
    b.failure('a');
    b.failure('a');
    expect(b.admit('a')).toBe('closed');
  });

  it('opens at the threshold, for that target only', () => {
    const b = breakers();
    for (let i = 0; i < 3; i++) b.failure('a');
    expect(b.admit('a')).toBe('open');
    expect(b.admit('b')).toBe('closed');
    expect(b.openTargets()).toEqual(['a']);
  });

  it('lets one probe through after the cooldown; its success closes the circuit', () => {
    const b = breakers();
    for (let i = 0; i < 3; i++) b.failure('a');
    now = 1_000;
    expect(b.admit('a')).toBe('probe');
    expect(b.admit('a')).toBe('open');
    b.success('a');
    expect(b.admit('a')).toBe('closed');
  });

  it('a failed probe opens the circuit for another cooldown', () => {
    const b = breakers();
    for (let i = 0; i < 3; i++) b.failure('a');
    now = 1_000;
    expect(b.admit('a')).toBe('probe');
    b.failure('a');
    now = 1_500;
    expect(b.admit('a')).toBe('open');
    now = 2_000;
    expect(b.admit('a')).toBe('probe');
  });
});
