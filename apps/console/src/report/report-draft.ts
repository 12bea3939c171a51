import type { ElectionAsset, FunctionalImpact, IncidentCategory, InformationImpact, ObservableType, Recoverability, Tlp } from '@watchfloor/contracts';
import type { ReportBody } from '../api/intake';
import type { FieldError } from '../api/problem';
import { localInputToIso } from '../ui/time';

/** The report form as the official fills it in: strings as typed, '' for "not chosen". */
export interface ReportDraft {
  title: string;
  description: string;
  category: IncidentCategory | '';
  jurisdiction: string;
  occurredAt: string;
  detectedAt: string;
  affectedAssets: ElectionAsset[];
  functionalImpact: FunctionalImpact | '';
  informationImpact: InformationImpact | '';
  recoverability: Recoverability | '';
  observables: Array<{ type: ObservableType; value: string }>;
  tlp: Tlp;
  reporterName: string;
  reporterEmail: string;
  reporterPhone: string;
  reporterTitle: string;
}

export function emptyDraft(defaults: { jurisdiction: string; reporterName: string; detectedAt: string }): ReportDraft {
  return {
    title: '',
    description: '',
    category: '',
    jurisdiction: defaults.jurisdiction,
    occurredAt: '',
    detectedAt: defaults.detectedAt,
    affectedAssets: [],
    functionalImpact: '',
    informationImpact: '',
    recoverability: '',
    observables: [],
    tlp: 'amber',
    reporterName: defaults.reporterName,
    reporterEmail: '',
    reporterPhone: '',
    reporterTitle: '',
  };
}

const text = (value: string) => (value.trim() === '' ? undefined : value.trim());

/**
 * The body of `POST /v1/incidents`. What the official left empty is left out, so the API
 * (the one judge of validity) names the field that is missing; nothing is checked twice here.
 */
export function toReportBody(draft: ReportDraft): ReportBody {
  const impacts: ReportBody['impacts'] = {};
  if (draft.functionalImpact) impacts.functionalImpact = draft.functionalImpact;
  if (draft.informationImpact) impacts.informationImpact = draft.informationImpact;
  if (draft.recoverability) impacts.recoverability = draft.recoverability;
  const reporter: ReportBody['reporter'] = { name: draft.reporterName.trim() };
  const email = text(draft.reporterEmail);
  const phone = text(draft.reporterPhone);
  const title = text(draft.reporterTitle);
  if (email) reporter.email = email;
  if (phone) reporter.phone = phone;
  if (title) reporter.title = title;
  const body: ReportBody = {
    title: draft.title.trim(),
    description: draft.description.trim(),
    jurisdiction: draft.jurisdiction.trim(),
    affectedAssets: draft.affectedAssets,
    impacts,
    observables: draft.observables.filter((o) => o.value.trim() !== '').map((o) => ({ type: o.type, value: o.value.trim() })),
    tlp: draft.tlp,
    reporter,
  };
  if (draft.category) body.category = draft.category;
  const occurredAt = localInputToIso(draft.occurredAt);
  const detectedAt = localInputToIso(draft.detectedAt);
  if (occurredAt) body.occurredAt = occurredAt;
  if (detectedAt) body.detectedAt = detectedAt;
  return body;
}

/** The form's names for the API's fields: the API's `reporter.name` is the form's reporter name, and so on. */
const FORM_FIELDS: Record<string, string> = {
  'reporter.name': 'reporterName',
  'reporter.email': 'reporterEmail',
  'reporter.phone': 'reporterPhone',
  'reporter.title': 'reporterTitle',
  'impacts.functionalImpact': 'functionalImpact',
  'impacts.informationImpact': 'informationImpact',
  'impacts.recoverability': 'recoverability',
};

/** The form field a problem+json `field` is about: `observables[1].value` -> `observables.1.value`. */
export function formFieldOf(apiField: string): string {
  const path = apiField.replace(/\[(\d+)\]/g, '.$1');
  if (FORM_FIELDS[path]) return FORM_FIELDS[path];
  if (/^affectedAssets\.\d+$/.test(path)) return 'affectedAssets';
  return path;
}

/** The API's field errors, grouped by the form field they belong beside. */
export function errorsByFormField(errors: readonly FieldError[]): Record<string, string[]> {
  const grouped: Record<string, string[]> = {};
  for (const { field, message } of errors) (grouped[formFieldOf(field)] ??= []).push(message);
  return grouped;
}

/** The DOM id of a form field's control (the error summary links to it). */
export function controlId(formField: string): string {
  return `report-${formField.replace(/[^A-Za-z0-9]+/g, '-')}`;
}
