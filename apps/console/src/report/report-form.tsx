import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { ObservableType } from '@watchfloor/contracts';
import { useState, type FormEvent } from 'react';
import { submitReport, type Receipt } from '../api/intake';
import { ApiProblem } from '../api/problem';
import { useSignedIn } from '../session/session-context';
import { Field, GroupErrors } from '../ui/field';
import { jurisdictionName } from '../ui/jurisdiction';
import {
  ASSET_LABELS,
  CATEGORY_LABELS,
  FUNCTIONAL_IMPACT_LABELS,
  INFORMATION_IMPACT_LABELS,
  OBSERVABLE_LABELS,
  optionsOf,
  RECOVERABILITY_LABELS,
  TLP_LABELS,
} from '../ui/labels';
import { isoToLocalInput } from '../ui/time';
import { ErrorSummary } from './error-summary';
import { ReceiptPanel } from './receipt-panel';
import { controlId, emptyDraft, errorsByFormField, toReportBody, type ReportDraft } from './report-draft';

/** A fresh key per report, so a double submit or a retry after a timeout files it once. */
const newIdempotencyKey = () => (globalThis.crypto?.randomUUID ? globalThis.crypto.randomUUID() : `${Date.now()}-${Math.random().toString(36).slice(2)}`);

/** The official's report form, in plain words; the API's field errors appear beside their fields. */
export function ReportForm() {
  const { token, claims } = useSignedIn();
  const queryClient = useQueryClient();
  const fresh = () => emptyDraft({ jurisdiction: claims.jurisdiction, reporterName: claims.name, detectedAt: isoToLocalInput(new Date()) });
  const [draft, setDraft] = useState<ReportDraft>(fresh);
  const [idempotencyKey, setIdempotencyKey] = useState(newIdempotencyKey);
  const [receipt, setReceipt] = useState<Receipt>();
  const submit = useMutation({
    mutationFn: () => submitReport(token, toReportBody(draft), idempotencyKey),
    onSuccess: async (created) => {
      setReceipt(created);
      await queryClient.invalidateQueries({ queryKey: ['reports'] });
    },
  });
  const problem = submit.error instanceof ApiProblem ? submit.error : undefined;
  const errors = problem ? errorsByFormField(problem.errors) : {};
  const set = <K extends keyof ReportDraft>(key: K, value: ReportDraft[K]) => setDraft((current) => ({ ...current, [key]: value }));
  const id = controlId;

  if (receipt) {
    return (
      <ReceiptPanel
        receipt={receipt}
        onAnother={() => {
          setDraft(fresh());
          setIdempotencyKey(newIdempotencyKey());
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
      {problem && <ErrorSummary problem={problem} />}
      {submit.error && !problem && (
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

        <fieldset aria-describedby={errors['affectedAssets'] ? `${id('affectedAssets')}-error` : undefined}>
          <legend>Which systems or places were affected?</legend>
          <p className="hint">Tick all that apply, or none.</p>
          <GroupErrors id={`${id('affectedAssets')}-error`} errors={errors['affectedAssets']} />
          <div className="checkbox-grid" id={id('affectedAssets')}>
            {optionsOf(ASSET_LABELS).map((asset) => (
              <label key={asset} className="checkbox">
                <input
                  type="checkbox"
                  checked={draft.affectedAssets.includes(asset)}
                  onChange={(e) => set('affectedAssets', e.target.checked ? [...draft.affectedAssets, asset] : draft.affectedAssets.filter((a) => a !== asset))}
                />
                {ASSET_LABELS[asset]}
              </label>
            ))}
          </div>
        </fieldset>

        <fieldset>
          <legend>How bad is it</legend>
          <Field id={id('functionalImpact')} label="What did it stop or slow down?" errors={errors['functionalImpact']}>
            <select value={draft.functionalImpact} onChange={(e) => set('functionalImpact', e.target.value as ReportDraft['functionalImpact'])}>
              <option value="">Choose…</option>
              {optionsOf(FUNCTIONAL_IMPACT_LABELS).map((value) => (
                <option key={value} value={value}>
                  {FUNCTIONAL_IMPACT_LABELS[value]}
                </option>
              ))}
            </select>
          </Field>
          <Field id={id('informationImpact')} label="Was any information exposed, changed or destroyed?" errors={errors['informationImpact']}>
            <select value={draft.informationImpact} onChange={(e) => set('informationImpact', e.target.value as ReportDraft['informationImpact'])}>
              <option value="">Choose…</option>
              {optionsOf(INFORMATION_IMPACT_LABELS).map((value) => (
                <option key={value} value={value}>
                  {INFORMATION_IMPACT_LABELS[value]}
                </option>
              ))}
            </select>
          </Field>
          <Field id={id('recoverability')} label="How hard does recovery look?" errors={errors['recoverability']}>
            <select value={draft.recoverability} onChange={(e) => set('recoverability', e.target.value as ReportDraft['recoverability'])}>
              <option value="">Choose…</option>
              {optionsOf(RECOVERABILITY_LABELS).map((value) => (
                <option key={value} value={value}>
                  {RECOVERABILITY_LABELS[value]}
                </option>
              ))}
            </select>
          </Field>
        </fieldset>

        <ObservablesFieldset draft={draft} errors={errors} onChange={(observables) => set('observables', observables)} />

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

function ObservablesFieldset({ draft, errors, onChange }: { draft: ReportDraft; errors: Record<string, string[]>; onChange(observables: ReportDraft['observables']): void }) {
  const rows = draft.observables;
  const update = (index: number, change: Partial<{ type: ObservableType; value: string }>) =>
    onChange(rows.map((row, i) => (i === index ? { ...row, ...change } : row)));
  return (
    <fieldset>
      <legend>Clues: addresses, domains, files</legend>
      <p className="hint">
        Copy exactly what you saw: the sender&apos;s address, the link, the web domain, the phone number. They help find the same attack
        elsewhere. Do not click the links.
      </p>
      {rows.map((row, index) => (
        <div className="observable-row" key={index}>
          <Field id={controlId(`observables.${index}.type`)} label={`Clue ${index + 1}: kind`} errors={errors[`observables.${index}.type`]}>
            <select value={row.type} onChange={(e) => update(index, { type: e.target.value as ObservableType })}>
              {optionsOf(OBSERVABLE_LABELS).map((type) => (
                <option key={type} value={type}>
                  {OBSERVABLE_LABELS[type]}
                </option>
              ))}
            </select>
          </Field>
          <Field id={controlId(`observables.${index}.value`)} label={`Clue ${index + 1}: what you saw`} errors={errors[`observables.${index}.value`]}>
            <input type="text" spellCheck={false} autoComplete="off" value={row.value} onChange={(e) => update(index, { value: e.target.value })} />
          </Field>
          <button type="button" className="secondary" onClick={() => onChange(rows.filter((_, i) => i !== index))}>
            Remove clue {index + 1}
          </button>
        </div>
      ))}
      <button type="button" className="secondary" onClick={() => onChange([...rows, { type: 'domain', value: '' }])}>
        Add a clue
      </button>
    </fieldset>
  );
}
