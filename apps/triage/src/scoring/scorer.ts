import { Inject, Injectable } from '@nestjs/common';
import type { ElectionPhase, NormalizedSubmission } from '@watchfloor/contracts';
import { CONFIG } from '@watchfloor/platform';
import type { TriageEnv } from '../config';
import { ElectionCalendar } from './election-calendar';
import { scoreIncident, type ScoreResult } from './score';
import { loadScoringModel, type ScoringModel } from './scoring-model';

/** The model and election calendar in force, applied to a submission. */
@Injectable()
export class Scorer {
  readonly model: ScoringModel;
  private readonly calendar: ElectionCalendar;

  constructor(@Inject(CONFIG) config: TriageEnv) {
    this.model = loadScoringModel(config.TRIAGE_SCORING_MODEL_FILE);
    this.calendar = ElectionCalendar.load(config.TRIAGE_ELECTION_CALENDAR_FILE);
  }

  /** The reporter's phase, else the calendar's for the jurisdiction when the incident was received. */
  phaseOf(submission: NormalizedSubmission, receivedAt: Date): ElectionPhase {
    return submission.phase ?? this.calendar.phaseAt(submission.jurisdiction, receivedAt);
  }

  score(submission: NormalizedSubmission, context: { receivedAt: Date; campaign: boolean }): ScoreResult & { phase: ElectionPhase } {
    const phase = this.phaseOf(submission, context.receivedAt);
    const result = scoreIncident(this.model, {
      impacts: submission.impacts,
      category: submission.category,
      affectedAssets: submission.affectedAssets,
      phase,
      campaign: context.campaign,
    });
    return { ...result, phase };
  }
}
