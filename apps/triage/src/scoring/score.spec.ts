import { normalizeSubmission } from '@watchfloor/contracts';
import { aSubmission } from '@watchfloor/testing';
import { ELECTION_DAY_FIXTURES } from '../../test/fixtures/election-day';
import { scoreIncident } from './score';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadScoringModel, NCISS_NOTIONAL_1, parseScoringModel } from './scoring-model';

function scoreOf(fixture: (typeof ELECTION_DAY_FIXTURES)[number], campaign = false) {
  const submission = normalizeSubmission(aSubmission(fixture.submission));
  return scoreIncident(NCISS_NOTIONAL_1, {
    impacts: submission.impacts,
    category: submission.category,
    affectedAssets: submission.affectedAssets,
    phase: submission.phase ?? 'off_cycle',
    campaign,
  });
}

describe('nciss-notional-1', () => {
  it.each(ELECTION_DAY_FIXTURES.map((f) => [f.name, f] as const))('%s: score, level, adjustments and contributions', (_name, fixture) => {
    const result = scoreOf(fixture);
    expect(result.model).toBe('nciss-notional-1');
    expect(result.score).toBe(fixture.score);
    expect(result.priority).toBe(fixture.priority);
    expect(result.adjustments.map((a) => a.kind)).toEqual(fixture.adjustments);
    expect(Object.fromEntries(result.breakdown.map((b) => [b.factor, b.contribution]))).toEqual(fixture.contributions);
  });

  it('leaves out a factor the reporter did not give: its weight does not count', () => {
    const result = scoreIncident(NCISS_NOTIONAL_1, {
      impacts: { functionalImpact: 'denial_critical_or_loss_of_control', informationImpact: 'no_impact', recoverability: 'regular' },
      category: 'other', affectedAssets: [], phase: 'off_cycle', campaign: false,
    });
    // (6*100 + 2*0 + 4*20) / 12, not / 31
    expect(result.score).toBe(56.67);
    expect(result.breakdown.map((b) => [b.factor, b.weight, b.value])).toEqual([
      ['functionalImpact', 6, 100], ['informationImpact', 2, 0], ['recoverability', 4, 20],
    ]);
  });

  it('reads the level from the unrounded cut-offs of DOMAIN.md', () => {
    const at = (functionalImpact: 'no_impact_to_services' | 'minimal_non_critical') =>
      scoreIncident(NCISS_NOTIONAL_1, { impacts: { functionalImpact, informationImpact: 'no_impact', recoverability: 'supplemented' }, category: 'other', affectedAssets: [], phase: 'off_cycle', campaign: false });
    // (6*20 + 0 + 4*40) / 12 = 23.33; (6*35 + 0 + 4*40) / 12 = 30.83
    expect(at('no_impact_to_services').priority).toBe('baseline');
    expect(at('minimal_non_critical').priority).toBe('low');
    const exactly25 = scoreIncident(NCISS_NOTIONAL_1, {
      impacts: { functionalImpact: 'no_impact', informationImpact: 'no_impact', recoverability: 'regular', potentialImpact: 'moderate' },
      category: 'other', affectedAssets: [], phase: 'off_cycle', campaign: false,
    });
    // (0 + 0 + 4*20 + 6*50) / 18 = 21.11 -> baseline: the cut-off is on the score, not rounded up
    expect(exactly25.score).toBe(21.11);
    expect(exactly25.priority).toBe('baseline');
  });

  it('does not apply the phase floor outside voting phases, nor to assets that are not voting-critical', () => {
    const pollbook = ELECTION_DAY_FIXTURES[1];
    if (!pollbook) throw new Error('fixture missing');
    const preElection = scoreOf({ ...pollbook, submission: { ...pollbook.submission, phase: 'pre_election' } });
    expect(preElection.priority).toBe('medium');
    expect(preElection.adjustments).toEqual([]);
  });

  it('raises a campaign member one level and records it; an emergency stays an emergency, recorded', () => {
    const ransomware = ELECTION_DAY_FIXTURES[4];
    const ems = ELECTION_DAY_FIXTURES[5];
    if (!ransomware || !ems) throw new Error('fixture missing');
    const raised = scoreOf(ransomware, true);
    expect(raised.priority).toBe('severe');
    expect(raised.adjustments).toEqual([{ kind: 'campaign', from: 'high', to: 'severe', reason: expect.stringContaining('campaign') }]);
    const capped = scoreOf(ems, true);
    expect(capped.priority).toBe('emergency');
    expect(capped.adjustments).toEqual([{ kind: 'campaign', from: 'emergency', to: 'emergency', reason: expect.stringContaining('highest level') }]);
  });

  it('shows the "call 911" guidance in the safety adjustment', () => {
    const mail = ELECTION_DAY_FIXTURES.find((f) => f.submission.category === 'suspicious_mail');
    if (!mail) throw new Error('fixture missing');
    expect(scoreOf(mail).adjustments[0]?.reason).toContain('Call 911 if there is an imminent threat');
  });

  it('refuses a model whose data is wrong, naming what', () => {
    const broken = JSON.parse(JSON.stringify(NCISS_NOTIONAL_1)) as Record<string, unknown> & { levels: Record<string, number> };
    broken.levels.high = 10;
    expect(() => parseScoringModel(broken)).toThrow(/levels must rise: high/);
  });

  it('loads another model from a file (a new name for new weights), refusing a broken one at boot', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wf-model-'));
    const heavier = { ...NCISS_NOTIONAL_1, model: 'eoc-custom-2', factors: { ...NCISS_NOTIONAL_1.factors, recoverability: { ...NCISS_NOTIONAL_1.factors.recoverability, weight: 8 } } };
    writeFileSync(join(dir, 'custom.json'), JSON.stringify(heavier));
    const model = loadScoringModel(join(dir, 'custom.json'));
    const result = scoreIncident(model, {
      impacts: { functionalImpact: 'denial_critical_or_loss_of_control', informationImpact: 'no_impact', recoverability: 'regular' },
      category: 'other', affectedAssets: [], phase: 'off_cycle', campaign: false,
    });
    // (6*100 + 0 + 8*20) / 16
    expect(result).toMatchObject({ model: 'eoc-custom-2', score: 47.5, priority: 'medium' });
    writeFileSync(join(dir, 'broken.json'), JSON.stringify({ ...heavier, factors: { ...heavier.factors, actor: { weight: 0, values: {} } } }));
    expect(() => loadScoringModel(join(dir, 'broken.json'))).toThrow(/TRIAGE_SCORING_MODEL_FILE .*factor actor needs a positive weight/);
    expect(loadScoringModel(undefined)).toBe(NCISS_NOTIONAL_1);
  });
});
