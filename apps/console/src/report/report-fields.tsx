import type { ElectionAsset, FunctionalImpact, InformationImpact, ObservableType, Recoverability } from '@watchfloor/contracts';
import { Field, GroupErrors } from '../ui/field';
import { ASSET_LABELS, FUNCTIONAL_IMPACT_LABELS, INFORMATION_IMPACT_LABELS, OBSERVABLE_LABELS, optionsOf, RECOVERABILITY_LABELS } from '../ui/labels';

// The parts of the report form an update reuses (the report page's "Add information"): clues,
// affected systems, impact. `idOf` names each control's DOM id from its form field
// (`observables.0.value`), which the error summary links to.

export type ObservableRow = { type: ObservableType; value: string };

export interface Impacts {
  functionalImpact: FunctionalImpact | '';
  informationImpact: InformationImpact | '';
  recoverability: Recoverability | '';
}

type Errors = Record<string, string[]>;

/** Clues (observables): one row per clue, added and removed by the person. */
export function ObservablesFieldset({
  idOf,
  rows,
  errors,
  onChange,
  legend = 'Clues: addresses, domains, files',
}: {
  idOf(field: string): string;
  rows: ObservableRow[];
  errors: Errors;
  onChange(rows: ObservableRow[]): void;
  legend?: string;
}) {
  const update = (index: number, change: Partial<ObservableRow>) => onChange(rows.map((row, i) => (i === index ? { ...row, ...change } : row)));
  return (
    <fieldset>
      <legend>{legend}</legend>
      <p className="hint">
        Copy exactly what you saw: the sender&apos;s address, the link, the web domain, the phone number. They help find the same attack
        elsewhere. Do not click the links.
      </p>
      {rows.map((row, index) => (
        <div className="observable-row" key={index}>
          <Field id={idOf(`observables.${index}.type`)} label={`Clue ${index + 1}: kind`} errors={errors[`observables.${index}.type`]}>
            <select value={row.type} onChange={(e) => update(index, { type: e.target.value as ObservableType })}>
              {optionsOf(OBSERVABLE_LABELS).map((type) => (
                <option key={type} value={type}>
                  {OBSERVABLE_LABELS[type]}
                </option>
              ))}
            </select>
          </Field>
          <Field id={idOf(`observables.${index}.value`)} label={`Clue ${index + 1}: what you saw`} errors={errors[`observables.${index}.value`]}>
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

/** Affected systems and places, as checkboxes (`offered`: all of them unless said). */
export function AssetsFieldset({
  idOf,
  legend,
  hint,
  chosen,
  offered = optionsOf(ASSET_LABELS),
  errors,
  onChange,
}: {
  idOf(field: string): string;
  legend: string;
  hint: string;
  chosen: ElectionAsset[];
  offered?: ElectionAsset[];
  errors?: string[];
  onChange(assets: ElectionAsset[]): void;
}) {
  const errorId = `${idOf('affectedAssets')}-error`;
  return (
    <fieldset aria-describedby={errors ? errorId : undefined}>
      <legend>{legend}</legend>
      <p className="hint">{hint}</p>
      <GroupErrors id={errorId} errors={errors} />
      <div className="checkbox-grid" id={idOf('affectedAssets')}>
        {offered.map((asset) => (
          <label key={asset} className="checkbox">
            <input
              type="checkbox"
              checked={chosen.includes(asset)}
              onChange={(e) => onChange(e.target.checked ? [...chosen, asset] : chosen.filter((a) => a !== asset))}
            />
            {ASSET_LABELS[asset]}
          </label>
        ))}
      </div>
    </fieldset>
  );
}

/** The three impact questions; '' is "not chosen" (`blank` names it: "Choose…", "Leave as it is"). */
export function ImpactFields({
  idOf,
  value,
  errors,
  onChange,
  blank = 'Choose…',
  hints = {},
}: {
  idOf(field: string): string;
  value: Impacts;
  errors: Errors;
  onChange<K extends keyof Impacts>(field: K, value: Impacts[K]): void;
  blank?: string;
  hints?: Partial<Record<keyof Impacts, string>>;
}) {
  return (
    <>
      <Field id={idOf('functionalImpact')} label="What did it stop or slow down?" hint={hints.functionalImpact} errors={errors['functionalImpact']}>
        <select value={value.functionalImpact} onChange={(e) => onChange('functionalImpact', e.target.value as Impacts['functionalImpact'])}>
          <option value="">{blank}</option>
          {optionsOf(FUNCTIONAL_IMPACT_LABELS).map((option) => (
            <option key={option} value={option}>
              {FUNCTIONAL_IMPACT_LABELS[option]}
            </option>
          ))}
        </select>
      </Field>
      <Field id={idOf('informationImpact')} label="Was any information exposed, changed or destroyed?" hint={hints.informationImpact} errors={errors['informationImpact']}>
        <select value={value.informationImpact} onChange={(e) => onChange('informationImpact', e.target.value as Impacts['informationImpact'])}>
          <option value="">{blank}</option>
          {optionsOf(INFORMATION_IMPACT_LABELS).map((option) => (
            <option key={option} value={option}>
              {INFORMATION_IMPACT_LABELS[option]}
            </option>
          ))}
        </select>
      </Field>
      <Field id={idOf('recoverability')} label="How hard does recovery look?" hint={hints.recoverability} errors={errors['recoverability']}>
        <select value={value.recoverability} onChange={(e) => onChange('recoverability', e.target.value as Impacts['recoverability'])}>
          <option value="">{blank}</option>
          {optionsOf(RECOVERABILITY_LABELS).map((option) => (
            <option key={option} value={option}>
              {RECOVERABILITY_LABELS[option]}
            </option>
          ))}
        </select>
      </Field>
    </>
  );
}
