import { useState, type FormEvent } from 'react';
import type { ApiProblem } from '../api/problem';
import { ErrorSummary } from '../ui/error-summary';
import { Field, GroupErrors } from '../ui/field';
import { CATEGORY_LABELS, CHANNEL_LABELS, optionsOf, PRIORITY_LABELS, SUBSCRIBABLE_EVENT_LABELS } from '../ui/labels';
import { subscriptionControlId, subscriptionErrors, subscriptionFieldOf, type SubscriptionDraft } from './subscription-draft';

interface SubscriptionFormProps {
  /** Prefix of the controls' ids: a page may hold the new-subscription form and an edit form. */
  formId: string;
  initial: SubscriptionDraft;
  /** Editing cannot change the channel (PATCH has no `channel`). */
  editing: boolean;
  problem: ApiProblem | undefined;
  pending: boolean;
  onSubmit(draft: SubscriptionDraft): void;
  onCancel(): void;
}

/** Create or change a subscription; the API's field errors appear beside their fields and in a summary. */
export function SubscriptionForm({ formId, initial, editing, problem, pending, onSubmit, onCancel }: SubscriptionFormProps) {
  const [draft, setDraft] = useState(initial);
  const errors = problem ? subscriptionErrors(problem.errors) : {};
  const set = <K extends keyof SubscriptionDraft>(key: K, value: SubscriptionDraft[K]) => setDraft((current) => ({ ...current, [key]: value }));
  const id = (field: string) => subscriptionControlId(formId, field);
  const toggle = <T,>(list: T[], value: T, on: boolean) => (on ? [...list, value] : list.filter((item) => item !== value));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSubmit(draft);
  };
  return (
    <form onSubmit={submit} noValidate className="subscription-form">
      {problem && <ErrorSummary problem={problem} what={editing ? 'The change' : 'The subscription'} controlIdOf={(field) => id(subscriptionFieldOf(field))} idPrefix={`${formId}-errors`} />}
      <fieldset>
        <legend>Where to send</legend>
        <Field id={id('name')} label="Name" hint="For you: which system receives it, e.g. Vendor SOAR." errors={errors['name']}>
          <input type="text" value={draft.name} maxLength={200} onChange={(e) => set('name', e.target.value)} />
        </Field>
        {!editing && (
          <Field id={id('channel')} label="How" errors={errors['channel']}>
            <select value={draft.channel} onChange={(e) => set('channel', e.target.value as SubscriptionDraft['channel'])}>
              {optionsOf(CHANNEL_LABELS).map((channel) => (
                <option key={channel} value={channel}>
                  {CHANNEL_LABELS[channel]}
                </option>
              ))}
            </select>
          </Field>
        )}
        <Field
          id={id('target')}
          label={draft.channel === 'webhook' ? 'Webhook address (URL)' : 'E-mail address'}
          hint={draft.channel === 'webhook' ? 'An https:// address your system receives POSTs on. Redirects are not followed.' : undefined}
          errors={errors['target']}
        >
          <input type={draft.channel === 'webhook' ? 'text' : 'email'} spellCheck={false} autoComplete="off" value={draft.target} onChange={(e) => set('target', e.target.value)} />
        </Field>
      </fieldset>

      <fieldset aria-describedby={errors['events'] ? `${id('events')}-error` : undefined}>
        <legend>Which events</legend>
        <GroupErrors id={`${id('events')}-error`} errors={errors['events']} />
        <div className="checkbox-grid" id={id('events')}>
          {optionsOf(SUBSCRIBABLE_EVENT_LABELS).map((type) => (
            <label key={type} className="checkbox">
              <input type="checkbox" checked={draft.events.includes(type)} onChange={(e) => set('events', toggle(draft.events, type, e.target.checked))} />
              {SUBSCRIBABLE_EVENT_LABELS[type]}
            </label>
          ))}
        </div>
      </fieldset>

      <fieldset>
        <legend>Only some incidents</legend>
        <p className="hint">Leave these empty to receive every incident within your clearance. Every criterion given must match.</p>
        <Field id={id('minPriority')} label="At least this priority" hint="A new report has no priority yet: it never passes this filter." optional errors={errors['minPriority']}>
          <select value={draft.minPriority} onChange={(e) => set('minPriority', e.target.value as SubscriptionDraft['minPriority'])}>
            <option value="">Any priority</option>
            {optionsOf(PRIORITY_LABELS).map((level) => (
              <option key={level} value={level}>
                {PRIORITY_LABELS[level]}
              </option>
            ))}
          </select>
        </Field>
        <Field
          id={id('jurisdictions')}
          label="Jurisdictions"
          hint="OCD-IDs, one per line; each includes what is inside it, e.g. ocd-division/country:us/state:ga."
          optional
          errors={errors['jurisdictions']}
        >
          <textarea rows={3} spellCheck={false} value={draft.jurisdictions} onChange={(e) => set('jurisdictions', e.target.value)} />
        </Field>
        <details className="categories" open={draft.categories.length > 0 || !!errors['categories']}>
          <summary>Kinds of incident{draft.categories.length > 0 ? ` (${draft.categories.length} chosen)` : ' (any)'}</summary>
          <GroupErrors id={`${id('categories')}-error`} errors={errors['categories']} />
          <div className="checkbox-grid" id={id('categories')}>
            {optionsOf(CATEGORY_LABELS).map((category) => (
              <label key={category} className="checkbox">
                <input type="checkbox" checked={draft.categories.includes(category)} onChange={(e) => set('categories', toggle(draft.categories, category, e.target.checked))} />
                {CATEGORY_LABELS[category]}
              </label>
            ))}
          </div>
        </details>
      </fieldset>

      <div className="actions">
        <button type="submit" className="primary" disabled={pending}>
          {pending ? 'Saving…' : editing ? 'Save the changes' : 'Subscribe'}
        </button>
        <button type="button" className="secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
