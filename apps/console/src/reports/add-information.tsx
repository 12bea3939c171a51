import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { FormEvent } from 'react';
import { newIdempotencyKey } from '../api/idempotency-key';
import { addReportUpdate, type ReportDetail } from '../api/intake';
import { ApiProblem } from '../api/problem';
import { useKeptDraft } from '../drafts/use-kept-draft';
import { errorsByFormField, formFieldOf } from '../report/report-draft';
import { AssetsFieldset, ImpactFields, ObservablesFieldset } from '../report/report-fields';
import { useSignedIn } from '../session/session-context';
import { ErrorSummary } from '../ui/error-summary';
import { Field } from '../ui/field';
import { ASSET_LABELS, FUNCTIONAL_IMPACT_LABELS, INFORMATION_IMPACT_LABELS, optionsOf, RECOVERABILITY_LABELS } from '../ui/labels';
import { SignInAgain } from '../ui/sign-in-again';
import { emptyUpdate, toUpdateBody, updateControlId, type UpdateDraft } from './update-draft';

/** What "Add information" keeps across a sign-in: the draft and the key it will be added under. */
interface KeptUpdate {
  draft: UpdateDraft;
  idempotencyKey: string;
}

/**
 * "Add information" on a report (`POST /v1/incidents/:id/updates`): a note, more clues, more
 * affected systems, a change of impact, as the report form asks them. Kept in this tab across
 * a sign-in; the API's field errors beside their fields.
 */
export function AddInformation({ report }: { report: ReportDetail }) {
  const { token } = useSignedIn();
  const queryClient = useQueryClient();
  const fresh = (): KeptUpdate => ({ draft: emptyUpdate(), idempotencyKey: newIdempotencyKey() });
  // The key is kept with the draft: an addition sent just before the token ran out is added once.
  const kept = useKeptDraft(`update.${report.id}`, fresh);
  const { draft, idempotencyKey } = kept.value;
  const add = useMutation({
    mutationFn: () => addReportUpdate(token, report.id, toUpdateBody(draft), idempotencyKey),
    onSuccess: async () => {
      kept.discard(fresh());
      await queryClient.invalidateQueries({ queryKey: ['reports', 'one', report.id] });
    },
  });
  const signedOut = add.error instanceof ApiProblem && add.error.status === 401;
  const problem = add.error instanceof ApiProblem && !signedOut ? add.error : undefined;
  const errors = problem ? errorsByFormField(problem.errors) : {};
  const set = <K extends keyof UpdateDraft>(key: K, value: UpdateDraft[K]) => kept.update((current) => ({ ...current, draft: { ...current.draft, [key]: value } }));
  const now = (words: string | undefined) => `Now: ${words ?? 'not said'}.`;
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    add.mutate();
  };
  return (
    <form onSubmit={onSubmit} className="panel" noValidate aria-labelledby="add-title">
      <h2 id="add-title">Add information</h2>
      <p className="hint">Anything you learned since: a note, more clues, more systems affected, or a change in how bad it is. Fill in only what is new.</p>
      {kept.restored && !add.error && <p role="status">What you were adding is back: it was kept in this tab.</p>}
      {signedOut && <SignInAgain what="your addition" />}
      {problem && <ErrorSummary problem={problem} what="Your addition" idPrefix="update-summary" controlIdOf={(field) => updateControlId(formFieldOf(field))} />}
      {add.error && !problem && !signedOut && (
        <p role="alert" className="error-summary">
          Your addition could not be sent ({add.error.message}). Check your connection and send it again.
        </p>
      )}
      <Field id={updateControlId('note')} label="What else should the operations center know?" optional errors={errors['note']}>
        <textarea rows={3} value={draft.note} onChange={(e) => set('note', e.target.value)} />
      </Field>
      <ObservablesFieldset idOf={updateControlId} legend="More clues" rows={draft.observables} errors={errors} onChange={(rows) => set('observables', rows)} />
      <AssetsFieldset
        idOf={updateControlId}
        legend="More systems or places affected"
        hint={report.affectedAssets.length > 0 ? `Already reported: ${report.affectedAssets.map((asset) => ASSET_LABELS[asset]).join(', ')}.` : 'None reported yet.'}
        offered={optionsOf(ASSET_LABELS).filter((asset) => !report.affectedAssets.includes(asset))}
        chosen={draft.affectedAssets}
        errors={errors['affectedAssets']}
        onChange={(assets) => set('affectedAssets', assets)}
      />
      <fieldset>
        <legend>Has how bad it is changed?</legend>
        <ImpactFields
          idOf={updateControlId}
          blank="Leave as it is"
          value={draft}
          errors={errors}
          hints={{
            functionalImpact: now(report.impacts.functionalImpact && FUNCTIONAL_IMPACT_LABELS[report.impacts.functionalImpact]),
            informationImpact: now(report.impacts.informationImpact && INFORMATION_IMPACT_LABELS[report.impacts.informationImpact]),
            recoverability: now(report.impacts.recoverability && RECOVERABILITY_LABELS[report.impacts.recoverability]),
          }}
          onChange={(field, value) => kept.update((current) => ({ ...current, draft: { ...current.draft, [field]: value } }))}
        />
      </fieldset>
      <button type="submit" className="primary" disabled={add.isPending}>
        {add.isPending ? 'Adding…' : 'Add to the report'}
      </button>
      {add.isSuccess && <p role="status">Added to the report.</p>}
    </form>
  );
}
