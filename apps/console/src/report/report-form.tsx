import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { submitReport, type Receipt } from '../api/intake';
import { ApiProblem } from '../api/problem';
import { useKeptDraft } from '../drafts/use-kept-draft';
import { useSignedIn } from '../session/session-context';
import { Field, GroupErrors } from '../ui/field';
import { jurisdictionName } from '../ui/jurisdiction';
import { CATEGORY_LABELS, optionsOf, TLP_LABELS } from '../ui/labels';
import { SignInAgain } from '../ui/sign-in-again';
import { isoToLocalInput } from '../ui/time';
import { ErrorSummary } from './error-summary';
import { ReceiptPanel } from './receipt-panel';
import { AssetsFieldset, ImpactFields, ObservablesFieldset } from './report-fields';
import { controlId, emptyDraft, errorsByFormField, toReportBody, type ReportDraft } from './report-draft';
import { newIdempotencyKey } from '../api/idempotency-key';

/** What the report form keeps across a sign-in: the draft and the key it will be filed under. */
interface KeptReport {
  draft: ReportDraft;
  idempotencyKey: string;
}

/** The official's report form, in plain words; the API's field errors appear beside their fields. */
export function ReportForm() {
  const { token, claims } = useSignedIn();
  const queryClient = useQueryClient();
  const fresh = (): KeptReport => ({
    draft: emptyDraft({ jurisdiction: claims.jurisdiction, reporterName: claims.name, detectedAt: isoToLocalInput(new Date()) }),
    idempotencyKey: newIdempotencyKey(),
  });
  // Kept in this tab while the person signs in again; the key too, so a report sent just
  // before the token ran out is still filed once.
  const kept = useKeptDraft('report', fresh);
  const { draft, idempotencyKey } = kept.value;
  const [receipt, setReceipt] = useState<Receipt>();
  const submit = useMutation({
    mutationFn: () => submitReport(token, toReportBody(draft), idempotencyKey),
    onSuccess: async (created) => {
      setReceipt(created);
      kept.discard(fresh());
      await queryClient.invalidateQueries({ queryKey: ['reports'] });
    },
  });
  const signedOut = submit.error instanceof ApiProblem && submit.error.status === 401;
  const problem = submit.error instanceof ApiProblem && !signedOut ? submit.error : undefined;
  const errors = problem ? errorsByFormField(problem.errors) : {};
  const set = <K extends keyof ReportDraft>(key: K, value: ReportDraft[K]) => kept.update((current) => ({ ...current, draft: { ...current.draft, [key]: value } }));
  const id = controlId;

  if (receipt) {
    return (
      <ReceiptPanel
        receipt={receipt}
        onAnother={() => {
          kept.discard(fresh());
          setReceipt(undefined);
          submit.reset();
        }}
      />
    );
  }

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    submit.mutate();
  };

  return (
    <main id="main" tabIndex={-1} className="page narrow">
      <h1>Report an incident</h1>
      <p className="lead">
        Tell the operations center what happened. Write it as you would say it on the phone; you can add more later. If anyone is in
        danger, call 911 first.
      </p>
      {kept.restored && !submit.error && <p role="status">The report you were writing is back: it was kept in this tab.</p>}
      {signedOut && <SignInAgain what="the report" />}
      {problem && <ErrorSummary problem={problem} />}
      {submit.error && !problem && !signedOut && (
        <p role="alert" className="error-summary">
          The report could not be sent ({submit.error.message}). Check your connection and send it again: it will not be filed twice.
        </p>
      )}
      <form onSubmit={onSubmit} noValidate>
        <fieldset>
          <legend>What happened</legend>
          <Field id={id('title')} label="In one sentence, what happened?" hint="For example: Poll workers got an e-mail asking for their passwords." errors={errors['title']}>
            <input type="text" value={draft.title} maxLength={200} onChange={(e) => set('title', e.target.value)} />
          </Field>
          <Field id={id('description')} label="Tell us more" hint="What you saw, who noticed, what you have done so far." errors={errors['description']}>
            <textarea rows={5} value={draft.description} onChange={(e) => set('description', e.target.value)} />
          </Field>
          <Field id={id('category')} label="What kind of incident is it?" errors={errors['category']}>
            <select value={draft.category} onChange={(e) => set('category', e.target.value as ReportDraft['category'])}>
              <option value="">Choose the closest…</option>
              {optionsOf(CATEGORY_LABELS).map((value) => (
                <option key={value} value={value}>
                  {CATEGORY_LABELS[value]}
                </option>
              ))}
            </select>
          </Field>
        </fieldset>

        <fieldset>
          <legend>When and where</legend>
          <Field id={id('detectedAt')} label="When did you notice it?" hint="Your local time." errors={errors['detectedAt']}>
            <input type="datetime-local" value={draft.detectedAt} onChange={(e) => set('detectedAt', e.target.value)} />
          </Field>
          <Field id={id('occurredAt')} label="When did it start?" hint="Leave empty if you do not know." optional errors={errors['occurredAt']}>
            <input type="datetime-local" value={draft.occurredAt} onChange={(e) => set('occurredAt', e.target.value)} />
          </Field>
          <Field
            id={id('jurisdiction')}
            label="Where: the jurisdiction"
            hint={`Yours is ${jurisdictionName(claims.jurisdiction)}. For a county or city inside it, add it to the end, e.g. ${claims.jurisdiction}/county:fulton.`}
            errors={errors['jurisdiction']}
          >
            <input type="text" value={draft.jurisdiction} spellCheck={false} autoComplete="off" onChange={(e) => set('jurisdiction', e.target.value)} />
          </Field>
          <p className="echo" aria-live="polite">
            Reporting for: <strong>{jurisdictionName(draft.jurisdiction)}</strong>
          </p>
        </fieldset>

        <AssetsFieldset
          legend="Which systems or places were affected?"
          hint="Tick all that apply, or none."
          idOf={id}
          chosen={draft.affectedAssets}
          errors={errors['affectedAssets']}
          onChange={(assets) => set('affectedAssets', assets)}
        />

        <fieldset>
          <legend>How bad is it</legend>
          <ImpactFields idOf={id} value={draft} errors={errors} onChange={(field, value) => kept.update((current) => ({ ...current, draft: { ...current.draft, [field]: value } }))} />
        </fieldset>

        <ObservablesFieldset idOf={id} rows={draft.observables} errors={errors} onChange={(observables) => set('observables', observables)} />

        <fieldset>
          <legend>Who may see this report</legend>
          <p className="hint">The Traffic Light Protocol (TLP) says how far the operations center may share it.</p>
          <GroupErrors id={`${id('tlp')}-error`} errors={errors['tlp']} />
          {optionsOf(TLP_LABELS).map((tlp) => (
            <label key={tlp} className="radio">
              <input type="radio" name="tlp" value={tlp} checked={draft.tlp === tlp} onChange={() => set('tlp', tlp)} />
              <span>
                <strong className={`tlp tlp-${tlp.replace('+', '-')}`}>{TLP_LABELS[tlp].name}</strong> {TLP_LABELS[tlp].meaning}
              </span>
            </label>
          ))}
        </fieldset>

        <fieldset>
          <legend>How to reach you</legend>
          <p className="hint">Only the operations center sees your e-mail and phone; they are never sent to partners.</p>
          <Field id={id('reporterName')} label="Your name" errors={errors['reporterName']}>
            <input type="text" autoComplete="name" value={draft.reporterName} onChange={(e) => set('reporterName', e.target.value)} />
          </Field>
          <Field id={id('reporterTitle')} label="Your role" hint="For example: County Clerk." optional errors={errors['reporterTitle']}>
            <input type="text" autoComplete="organization-title" value={draft.reporterTitle} onChange={(e) => set('reporterTitle', e.target.value)} />
          </Field>
          <Field id={id('reporterEmail')} label="E-mail" optional errors={errors['reporterEmail']}>
            <input type="email" autoComplete="email" value={draft.reporterEmail} onChange={(e) => set('reporterEmail', e.target.value)} />
          </Field>
          <Field id={id('reporterPhone')} label="Phone" optional errors={errors['reporterPhone']}>
            <input type="tel" autoComplete="tel" value={draft.reporterPhone} onChange={(e) => set('reporterPhone', e.target.value)} />
          </Field>
        </fieldset>

        <button type="submit" className="primary" disabled={submit.isPending}>
          {submit.isPending ? 'Sending…' : 'Send the report'}
        </button>
      </form>
    </main>
  );
}
