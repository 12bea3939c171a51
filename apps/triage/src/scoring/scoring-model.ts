import {
  ELECTION_ASSETS,
  ELECTION_PHASES,
  INCIDENT_CATEGORIES,
  PRIORITY_LEVELS,
  SCORE_FACTORS,
  type ElectionAsset,
  type ElectionPhase,
  type IncidentCategory,
  type PriorityLevel,
  type ScoreFactor,
} from '@watchfloor/contracts';
import { readFileSync } from 'node:fs';
import notional1 from './models/nciss-notional-1.json';

/** A scoring model as data (DOMAIN.md): factor weights and values, level cut-offs, election adjustments. */
export interface ScoringModel {
  model: string;
  factors: Record<ScoreFactor, { weight: number; values: Record<string, number> }>;
  /** Lowest score of each level. */
  levels: Record<PriorityLevel, number>;
  adjustments: {
    phase: { phases: ElectionPhase[]; assets: ElectionAsset[]; floor: PriorityLevel };
    safety: { categories: IncidentCategory[]; floor: PriorityLevel; guidance: string };
    campaign: { raise: number };
  };
}

/** Checks a model read from JSON against the contract's enums, so a typo fails at boot, not at 3 a.m. */
export function parseScoringModel(raw: unknown): ScoringModel {
  const model = raw as ScoringModel;
  const fail = (what: string): never => {
    throw new Error(`scoring model ${String((raw as { model?: unknown })?.model)}: ${what}`);
  };
  if (typeof model?.model !== 'string' || !/^[a-z0-9][a-z0-9._-]{0,63}$/.test(model.model)) fail('model must be a version name');
  for (const factor of SCORE_FACTORS) {
    const entry = model.factors?.[factor];
    if (!entry || !(entry.weight > 0)) fail(`factor ${factor} needs a positive weight`);
    for (const [input, value] of Object.entries(entry.values ?? {})) {
      if (!(value >= 0 && value <= 100)) fail(`${factor}.${input} must be 0-100`);
    }
  }
  let previous = -1;
  for (const level of PRIORITY_LEVELS) {
    const floor = model.levels?.[level];
    if (!(typeof floor === 'number' && floor > previous)) fail(`levels must rise: ${level}`);
    previous = floor;
  }
  const { phase, safety, campaign } = model.adjustments ?? fail('adjustments missing');
  if (!phase.phases.every((p) => (ELECTION_PHASES as readonly string[]).includes(p))) fail('unknown phase in adjustments.phase');
  if (!phase.assets.every((a) => (ELECTION_ASSETS as readonly string[]).includes(a))) fail('unknown asset in adjustments.phase');
  if (!safety.categories.every((c) => (INCIDENT_CATEGORIES as readonly string[]).includes(c))) fail('unknown category in adjustments.safety');
  if (!(PRIORITY_LEVELS as readonly string[]).includes(phase.floor) || !(PRIORITY_LEVELS as readonly string[]).includes(safety.floor)) fail('unknown floor level');
  if (!Number.isInteger(campaign.raise) || campaign.raise < 0) fail('campaign.raise must be a whole number');
  return model;
}

/** The default model, `nciss-notional-1`. */
export const NCISS_NOTIONAL_1: ScoringModel = parseScoringModel(notional1);

/** The model of `TRIAGE_SCORING_MODEL_FILE`, or the default without one; a bad file stops the boot, naming what is wrong. */
export function loadScoringModel(path: string | undefined): ScoringModel {
  if (!path) return NCISS_NOTIONAL_1;
  try {
    return parseScoringModel(JSON.parse(readFileSync(path, 'utf8')));
  } catch (error) {
    throw new Error(`TRIAGE_SCORING_MODEL_FILE (${path}): ${error instanceof Error ? error.message : String(error)}`);
  }
}
