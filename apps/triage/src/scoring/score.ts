import {
  PRIORITY_LEVELS,
  SCORE_FACTORS,
  comparePriority,
  type ElectionPhase,
  type IncidentImpacts,
  type NormalizedSubmission,
  type PriorityAdjustment,
  type PriorityLevel,
  type ScoreContribution,
} from '@watchfloor/contracts';
import type { ScoringModel } from './scoring-model';

/** What the score reads. */
export interface ScoreInput {
  impacts: IncidentImpacts;
  category: NormalizedSubmission['category'];
  affectedAssets: NormalizedSubmission['affectedAssets'];
  phase: ElectionPhase;
  /** The incident's cluster spans enough jurisdictions to be a campaign. */
  campaign: boolean;
}

/** A score and why: each factor's contribution and each adjustment applied. */
export interface ScoreResult {
  model: string;
  /** The weighted mean, 0-100, before adjustments (two decimals). */
  score: number;
  /** The level after adjustments. */
  priority: PriorityLevel;
  breakdown: ScoreContribution[];
  adjustments: PriorityAdjustment[];
}

const round2 = (value: number): number => Math.round(value * 100) / 100;

function levelForScore(model: ScoringModel, score: number): PriorityLevel {
  let level: PriorityLevel = PRIORITY_LEVELS[0];
  for (const candidate of PRIORITY_LEVELS) if (score >= model.levels[candidate]) level = candidate;
  return level;
}

function raise(level: PriorityLevel, steps: number): PriorityLevel {
  return PRIORITY_LEVELS[Math.min(PRIORITY_LEVELS.indexOf(level) + steps, PRIORITY_LEVELS.length - 1)] ?? level;
}

/**
 * Scores an incident with `model`: the weighted mean over the factors the reporter gave (a
 * factor left out does not count its weight), the level it falls in, then the election
 * adjustments in order (phase floor, safety floor, campaign raise), each recorded.
 */
export function scoreIncident(model: ScoringModel, input: ScoreInput): ScoreResult {
  const given = SCORE_FACTORS.flatMap((factor) => {
    const value = input.impacts[factor];
    const points = value === undefined ? undefined : model.factors[factor].values[value];
    return points === undefined || value === undefined ? [] : [{ factor, input: value, value: points, weight: model.factors[factor].weight }];
  });
  const totalWeight = given.reduce((sum, entry) => sum + entry.weight, 0);
  const breakdown: ScoreContribution[] = given.map((entry) => ({
    ...entry,
    contribution: totalWeight === 0 ? 0 : round2((entry.weight * entry.value) / totalWeight),
  }));
  const exact = totalWeight === 0 ? 0 : given.reduce((sum, entry) => sum + entry.weight * entry.value, 0) / totalWeight;
  const score = round2(exact);

  const adjustments: PriorityAdjustment[] = [];
  let priority = levelForScore(model, score);
  const { phase, safety, campaign } = model.adjustments;

  const criticalAssets = input.affectedAssets.filter((asset) => phase.assets.includes(asset));
  if (phase.phases.includes(input.phase) && criticalAssets.length > 0 && comparePriority(priority, phase.floor) < 0) {
    adjustments.push({
      kind: 'phase',
      from: priority,
      to: phase.floor,
      reason: `${input.phase.replace('_', ' ')}: voting-critical ${criticalAssets.join(', ')} affected, at least ${phase.floor}`,
    });
    priority = phase.floor;
  }
  if (safety.categories.includes(input.category) && comparePriority(priority, safety.floor) < 0) {
    adjustments.push({
      kind: 'safety',
      from: priority,
      to: safety.floor,
      reason: `${input.category.replace(/_/g, ' ')} threatens people: at least ${safety.floor}. ${safety.guidance}`,
    });
    priority = safety.floor;
  }
  if (input.campaign && campaign.raise > 0) {
    const raised = raise(priority, campaign.raise);
    adjustments.push({
      kind: 'campaign',
      from: priority,
      to: raised,
      reason: raised === priority ? 'part of a campaign (already at the highest level)' : `part of a campaign: raised ${campaign.raise} level`,
    });
    priority = raised;
  }
  return { model: model.model, score, priority, breakdown, adjustments };
}

/** The "call 911" guidance shown beside safety incidents, or undefined. */
export function safetyGuidance(model: ScoringModel, category: NormalizedSubmission['category']): string | undefined {
  return model.adjustments.safety.categories.includes(category) ? model.adjustments.safety.guidance : undefined;
}
