import { errorsByFormField } from '../report/report-draft';
import { emptyUpdate, toUpdateBody, updateControlId } from './update-draft';

describe('toUpdateBody', () => {
  it('sends only what was added or changed', () => {
    expect(
      toUpdateBody({
        ...emptyUpdate(),
        note: '  The portal is down now. ',
        observables: [{ type: 'domain', value: ' sos-ga-verify.net ' }, { type: 'url', value: '  ' }],
        affectedAssets: ['voter_registration_db'],
        informationImpact: 'suspected_not_identified',
      }),
    ).toEqual({
      note: 'The portal is down now.',
      observables: [{ type: 'domain', value: 'sos-ga-verify.net' }],
      affectedAssets: ['voter_registration_db'],
      impacts: { informationImpact: 'suspected_not_identified' },
    });
  });

  it('sends an empty body for an empty draft, so the API says what an update needs', () => {
    expect(toUpdateBody(emptyUpdate())).toEqual({});
  });

  it("puts the API's field errors beside the update's controls", () => {
    const errors = errorsByFormField([
      { field: 'observables[0].value', message: 'not a domain' },
      { field: 'impacts.recoverability', message: 'must be one of' },
      { field: 'affectedAssets[1]', message: 'must be one of' },
    ]);
    expect(Object.keys(errors)).toEqual(['observables.0.value', 'recoverability', 'affectedAssets']);
    expect(updateControlId('observables.0.value')).toBe('update-observables-0-value');
  });
});
