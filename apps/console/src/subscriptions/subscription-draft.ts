import type { DeliveryChannel, IncidentCategory, PriorityLevel } from '@watchfloor/contracts';
import type { FieldError } from '../api/problem';
import type { Subscription, SubscriptionBody } from '../api/notification';
import type { SubscribableEvent } from '../ui/labels';

/** The subscription form as the partner fills it in: strings as typed, '' for "not chosen". */
export interface SubscriptionDraft {
  name: string;
  channel: DeliveryChannel;
  target: string;
  events: SubscribableEvent[];
  minPriority: PriorityLevel | '';
  /** OCD-IDs, one per line (or separated by commas). */
  jurisdictions: string;
  categories: IncidentCategory[];
}

export const emptySubscriptionDraft = (): SubscriptionDraft => ({
  name: '',
  channel: 'webhook',
  target: '',
  events: ['watchfloor.incident.reported.v1', 'watchfloor.incident.triaged.v1'],
  minPriority: '',
  jurisdictions: '',
  categories: [],
});

/** The form filled with a subscription, to change it. */
export function draftOf(subscription: Subscription): SubscriptionDraft {
  return {
    name: subscription.name,
    channel: subscription.channel,
    target: subscription.target,
    events: subscription.events.filter((type): type is SubscribableEvent => type.startsWith('watchfloor.incident.')),
    minPriority: subscription.filter.minPriority ?? '',
    jurisdictions: (subscription.filter.jurisdictions ?? []).join('\n'),
    categories: subscription.filter.categories ?? [],
  };
}

/**
 * The body of `POST /v1/subscriptions`. Nothing is checked here (the API is the one judge):
 * what was left empty is left out, and the filter is always sent whole, because PATCH
 * replaces it as a whole (`{}` clears it).
 */
export function toSubscriptionBody(draft: SubscriptionDraft): SubscriptionBody {
  const filter: SubscriptionBody['filter'] = {};
  if (draft.minPriority) filter.minPriority = draft.minPriority;
  const jurisdictions = draft.jurisdictions
    .split(/[\s,]+/)
    .map((id) => id.trim())
    .filter(Boolean);
  if (jurisdictions.length > 0) filter.jurisdictions = jurisdictions;
  if (draft.categories.length > 0) filter.categories = draft.categories;
  return { name: draft.name.trim(), channel: draft.channel, target: draft.target.trim(), events: draft.events, filter };
}

/** The form field an API field is about: `filter.jurisdictions[2]` -> `jurisdictions`, `events[0]` -> `events`. */
export function subscriptionFieldOf(apiField: string): string {
  return apiField.replace(/\[\d+\]/g, '').replace(/\.\d+$/, '').replace(/^filter\./, '');
}

/** The API's field errors, grouped by the form field they belong beside. */
export function subscriptionErrors(errors: readonly FieldError[]): Record<string, string[]> {
  const grouped: Record<string, string[]> = {};
  for (const { field, message } of errors) (grouped[subscriptionFieldOf(field)] ??= []).push(message);
  return grouped;
}

/** The DOM id of a field's control in the form `formId` (create and edit forms may be on the page together). */
export const subscriptionControlId = (formId: string, field: string) => `${formId}-${field.replace(/[^A-Za-z0-9]+/g, '-')}`;
