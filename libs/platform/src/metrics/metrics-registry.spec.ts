import { counter, gauge, histogram, metricsRegistry } from './metrics-registry';

describe('metric helpers', () => {
  it('return the same metric when asked twice', async () => {
    const first = counter({ name: 'test_things_total', help: 'things', labelNames: ['kind'] });
    const second = counter({ name: 'test_things_total', help: 'things', labelNames: ['kind'] });
    expect(second).toBe(first);
    first.inc({ kind: 'a' });
    await expect(metricsRegistry.getSingleMetricAsString('test_things_total')).resolves.toContain('test_things_total{kind="a"} 1');
  });

  it('refuse a name taken by another metric type', () => {
    gauge({ name: 'test_lag', help: 'lag' });
    expect(() => histogram({ name: 'test_lag', help: 'lag' })).toThrow(/another type/);
  });
});
