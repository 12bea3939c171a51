import type { ElectionAsset } from '@watchfloor/contracts';
import type { UpdateBody } from '../api/intake';
import type { Impacts, ObservableRow } from '../report/report-fields';

/** "Add information" on a report as the official fills it in: '' for "leave as it is". */
export interface UpdateDraft extends Impacts {
  note: string;
  observables: ObservableRow[];
  affectedAssets: ElectionAsset[];
}

export const emptyUpdate = (): UpdateDraft => ({ note: '', observables: [], affectedAssets: [], functionalImpact: '', informationImpact: '', recoverability: '' });

/**
 * The body of `POST /v1/incidents/:id/updates`: only what the official added or changed. An
 * empty draft makes an empty body, and the API (the one judge) says what an update needs.
 */
export function toUpdateBody(draft: UpdateDraft): UpdateBody {
  const body: UpdateBody = {};
  const note = draft.note.trim();
  if (note) body.note = note;
  const observables = draft.observables.filter((o) => o.value.trim() !== '').map((o) => ({ type: o.type, value: o.value.trim() }));
  if (observables.length > 0) body.observables = observables;
  if (draft.affectedAssets.length > 0) body.affectedAssets = draft.affectedAssets;
  const impacts: UpdateBody['impacts'] = {};
  if (draft.functionalImpact) impacts.functionalImpact = draft.functionalImpact;
  if (draft.informationImpact) impacts.informationImpact = draft.informationImpact;
  if (draft.recoverability) impacts.recoverability = draft.recoverability;
  if (Object.keys(impacts).length > 0) body.impacts = impacts;
  return body;
}

/** The DOM id of an update form control (`observables.0.value` → `update-observables-0-value`). */
export function updateControlId(formField: string): string {
  return `update-${formField.replace(/[^A-Za-z0-9]+/g, '-')}`;
}
