import { IsIn, ValidateBy, type ValidationArguments, type ValidationOptions } from 'class-validator';
import { isOneOf } from '../domain/incident';
import { OBSERVABLE_TYPES, type ObservableType } from '../domain/observable-types';
import { normalizeObservable } from './normalize';

/**
 * Validates an observable value against the observable type in sibling property `type`
 * (by trying to normalise it). An invalid type is reported on `type` alone.
 */
export function IsObservableValue(options?: ValidationOptions): PropertyDecorator {
  const problem = (args: ValidationArguments): string | undefined => {
    const type: unknown = (args.object as { type?: unknown }).type;
    if (!isOneOf(OBSERVABLE_TYPES, type)) return undefined;
    if (typeof args.value !== 'string') return 'must be a string';
    const result = normalizeObservable(type, args.value);
    return result.ok ? undefined : result.message;
  };
  return ValidateBy(
    {
      name: 'isObservableValue',
      validator: {
        validate: (_value, args?: ValidationArguments) => (args ? problem(args) === undefined : false),
        defaultMessage: (args?: ValidationArguments) =>
          args ? `${args.property} ${problem(args) ?? 'is invalid'} (type ${String((args.object as { type?: unknown }).type)})` : 'invalid observable value',
      },
    },
    options,
  );
}

/** A technical indicator (IP, domain, hash, ...) reported with an incident; what correlation works on. */
export class Observable {
  @IsIn(OBSERVABLE_TYPES)
  type: ObservableType;

  /** Validated for `type`; {@link normalizeSubmission} replaces it with the normalised form. */
  @IsObservableValue()
  value: string;
}
