import { normalizeSubmission, type IncidentUpdatedV1 } from '@watchfloor/contracts';
import { aSubmission } from '@watchfloor/testing';
import { mergeUpdate } from './merge-update';

const base = normalizeSubmission(aSubmission({ observables: [{ type: 'domain', value: 'a.example.com' }], affectedAssets: ['email_office_it'] }));

function update(version: number, fields: Partial<IncidentUpdatedV1>): IncidentUpdatedV1 {
  return {
    incidentId: '0193b0f4-6c1e-7d3a-9f5e-2b1c4d5e6f70', version, updateId: '0193b0f4-6c1e-7d3a-9f5e-2b1c4d5e6f71', origin: 'update',
    submittedBy: { sub: 'clerk' }, receivedAt: '2026-11-03T13:00:00.000Z', ...fields,
  };
}

describe('mergeUpdate', () => {
  const v2 = update(2, { impacts: { functionalImpact: 'denial_non_critical' }, observables: [{ type: 'domain', value: 'b.example.com' }] });
  const v3 = update(3, { impacts: { functionalImpact: 'significant_critical' }, affectedAssets: ['e_pollbook'], changes: { category: 'malware' } });

  it('converges whatever the order: unions commute, each field takes the highest version that set it', () => {
    const inOrder = mergeUpdate(mergeUpdate(base, {}, v2).submission, mergeUpdate(base, {}, v2).fieldVersions, v3);
    const first = mergeUpdate(base, {}, v3);
    const reversed = mergeUpdate(first.submission, first.fieldVersions, v2);
    for (const merged of [inOrder, reversed]) {
      expect(merged.submission.impacts.functionalImpact).toBe('significant_critical');
      expect(merged.submission.category).toBe('malware');
      expect(new Set(merged.submission.observables.map((o) => o.value))).toEqual(new Set(['a.example.com', 'b.example.com']));
      expect(merged.submission.affectedAssets).toEqual(['email_office_it', 'e_pollbook']);
    }
    expect(reversed.fieldVersions).toEqual({ 'impacts.functionalImpact': 3, category: 3 });
  });

  it('says what changed: new observables to correlate, inputs of the score', () => {
    const observableOnly = mergeUpdate(base, {}, update(2, { observables: [{ type: 'domain', value: 'a.example.com' }, { type: 'ipv4', value: '192.0.2.1' }] }));
    expect(observableOnly).toMatchObject({ changed: true, inputsChanged: false, newObservables: [{ type: 'ipv4', value: '192.0.2.1' }] });
    const vectorOnly = mergeUpdate(base, {}, update(2, { impacts: { attackVector: 'web' } }));
    expect(vectorOnly).toMatchObject({ changed: true, inputsChanged: false });
    const nothing = mergeUpdate(base, {}, update(2, { note: 'still looking' }));
    expect(nothing).toMatchObject({ changed: false, inputsChanged: false, newObservables: [] });
    expect(nothing.submission).toEqual(base);
  });

  it('does not touch the submission it was given', () => {
    const copy = JSON.parse(JSON.stringify(base)) as typeof base;
    mergeUpdate(base, {}, v3);
    expect(base).toEqual(copy);
  });
});
