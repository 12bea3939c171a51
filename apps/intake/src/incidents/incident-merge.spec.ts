import { normalizeSubmission, type NormalizedSubmission } from '@watchfloor/contracts';
import { aSubmission } from '@watchfloor/testing';
import { mergeResubmission, mergeUpdate } from './incident-merge';

describe('merging new information into a submission', () => {
  const current: NormalizedSubmission = normalizeSubmission(aSubmission({ detectedAt: '2026-11-03T13:00:00.000Z' }));
  const [known] = current.observables;
  if (!known) throw new Error('the factory submission has observables');

  it('adds only observables and assets not yet recorded, and sets only impact values that differ', () => {
    const merged = mergeUpdate(current, {
      observables: [known, { type: 'ipv4', value: '203.0.113.7' }],
      affectedAssets: ['e_pollbook', 'personnel'],
      impacts: { recoverability: current.impacts.recoverability, actor: 'criminal' },
    });
    expect(merged.delta).toEqual({ observables: [{ type: 'ipv4', value: '203.0.113.7' }], affectedAssets: ['personnel'], impacts: { actor: 'criminal' } });
    expect(merged.submission.observables).toHaveLength(current.observables.length + 1);
    expect(merged.submission.impacts).toMatchObject({ recoverability: current.impacts.recoverability, actor: 'criminal' });
    expect(merged.changed).toBe(true);
  });

  it('finds nothing new in an update that repeats what is known, but a note is always news', () => {
    expect(mergeUpdate(current, { observables: [known] })).toMatchObject({ changed: false, delta: {} });
    expect(mergeUpdate(current, { note: 'still happening' })).toMatchObject({ changed: true, delta: { note: 'still happening' } });
  });

  it('treats a re-submission as replaced fields plus additions, and an identical one as no change', () => {
    expect(mergeResubmission(current, current).changed).toBe(false);
    const merged = mergeResubmission(current, { ...current, title: 'Now three counties', tlp: 'red' });
    expect(merged.delta.changes).toEqual({ title: 'Now three counties', tlp: 'red' });
    expect(merged.submission).toMatchObject({ title: 'Now three counties', tlp: 'red', jurisdiction: current.jurisdiction });
  });
});
