/** Priority levels, ordered from lowest to highest. */
export const PRIORITY_LEVELS = ['baseline', 'low', 'medium', 'high', 'severe', 'emergency'] as const;
export type PriorityLevel = (typeof PRIORITY_LEVELS)[number];

/** Lowest score (inclusive) of each level (DOMAIN.md: baseline < 25 <= low < 45 <= ...). */
export const PRIORITY_THRESHOLDS: Readonly<Record<PriorityLevel, number>> = {
  baseline: 0,
  low: 25,
  medium: 45,
  high: 60,
  severe: 75,
  emergency: 90,
};

/** Negative when `a` is lower than `b`, zero when equal, positive otherwise. */
export function comparePriority(a: PriorityLevel, b: PriorityLevel): number {
  return PRIORITY_LEVELS.indexOf(a) - PRIORITY_LEVELS.indexOf(b);
}

/** The level a 0-100 score falls in. */
export function priorityForScore(score: number): PriorityLevel {
  let level: PriorityLevel = 'baseline';
  for (const candidate of PRIORITY_LEVELS) {
    if (score >= PRIORITY_THRESHOLDS[candidate]) level = candidate;
  }
  return level;
}

/** Factors of the scoring model, named like the impact fields they read. */
export const SCORE_FACTORS = [
  'functionalImpact',
  'observedActivity',
  'locationOfActivity',
  'actor',
  'informationImpact',
  'recoverability',
  'potentialImpact',
] as const;
export type ScoreFactor = (typeof SCORE_FACTORS)[number];

/** Election adjustments applied after the weighted mean (the override is its own event). */
export const PRIORITY_ADJUSTMENTS = ['phase', 'safety', 'campaign'] as const;
export type PriorityAdjustmentKind = (typeof PRIORITY_ADJUSTMENTS)[number];
