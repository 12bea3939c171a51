import type { ObservableType } from '@watchfloor/contracts';
import { OBSERVABLE_LABELS } from '../ui/labels';

const isObservableType = (type: string): type is ObservableType => type in OBSERVABLE_LABELS;

/** "Web domain sos-verify.com; Phone number +1 404 ... and 2 more": the first `max` shared clues in words. */
export function observableWords(observables: ReadonlyArray<{ type: string; value: string }>, max: number): string {
  if (observables.length === 0) return 'nothing recorded';
  const shown = observables.slice(0, max).map(({ type, value }) => `${isObservableType(type) ? OBSERVABLE_LABELS[type] : type} ${value}`);
  const more = observables.length - shown.length;
  return `${shown.join('; ')}${more > 0 ? ` and ${more} more` : ''}`;
}
