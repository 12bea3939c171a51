import { compareTlp, isTlp, TLP_LEVELS, tlpAllows } from './tlp';

describe('TLP', () => {
  it('orders labels from most to least shareable', () => {
    const sorted = [...TLP_LEVELS].reverse().sort(compareTlp);
    expect(sorted).toEqual(['clear', 'green', 'amber', 'amber+strict', 'red']);
    expect(compareTlp('amber', 'amber')).toBe(0);
    expect(compareTlp('amber+strict', 'amber')).toBeGreaterThan(0);
  });

  it.each([
    ['amber', 'green', true],
    ['amber', 'amber', true],
    ['amber', 'amber+strict', false],
    ['clear', 'green', false],
    ['red', 'red', true],
    ['green', 'clear', true],
  ] as const)('clearance %s allows label %s: %s', (clearance, label, allowed) => {
    expect(tlpAllows(clearance, label)).toBe(allowed);
  });

  it('recognises only exact labels', () => {
    expect(isTlp('amber+strict')).toBe(true);
    expect(isTlp('AMBER')).toBe(false);
    expect(isTlp('white')).toBe(false);
    expect(isTlp(undefined)).toBe(false);
  });
});
