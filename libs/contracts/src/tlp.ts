/** Traffic Light Protocol 2.0 labels, from most to least shareable. */
export const TLP_LEVELS = ['clear', 'green', 'amber', 'amber+strict', 'red'] as const;
export type Tlp = (typeof TLP_LEVELS)[number];

/** The label an incident carries when its reporter gives none (DOMAIN.md). */
export const DEFAULT_TLP: Tlp = 'amber';

/** True when `value` is one of the TLP 2.0 labels (exact, lower-case). */
export function isTlp(value: unknown): value is Tlp {
  return typeof value === 'string' && (TLP_LEVELS as readonly string[]).includes(value);
}

/** Negative when `a` is more shareable than `b`, zero when equal, positive otherwise. */
export function compareTlp(a: Tlp, b: Tlp): number {
  return TLP_LEVELS.indexOf(a) - TLP_LEVELS.indexOf(b);
}

/** Whether a reader or subscription with `clearance` may see data labelled `label` (label <= clearance). */
export function tlpAllows(clearance: Tlp, label: Tlp): boolean {
  return compareTlp(label, clearance) <= 0;
}
