import 'reflect-metadata';
import { plainToInstance, type ClassConstructor } from 'class-transformer';
import { validateSync, type ValidationError, type ValidatorOptions } from 'class-validator';
import { RECORDED_DATA } from './groups';
import type { FieldError, ValidationResult } from './result';
import { shapeErrors } from './shape';

/** Options of {@link validateInstance}. */
export interface ValidateInstanceOptions {
  /**
   * Whether rules that read the clock ("not in the future") apply. True for input from a
   * client (the default); false for recorded data such as event payloads.
   */
  clockRules?: boolean;
}

const INDEX = /^\d+$/;

function joinPath(parent: string, property: string): string {
  if (parent === '') return property;
  return INDEX.test(property) ? `${parent}[${property}]` : `${parent}.${property}`;
}

/**
 * Flattens class-validator's error tree into one entry per broken rule, each naming its
 * field path (`observables[2].value`, `impacts.actor`; unknown properties by their name).
 */
export function flattenValidationErrors(errors: readonly ValidationError[], parentPath = ''): FieldError[] {
  const flat: FieldError[] = [];
  for (const error of errors) {
    const field = joinPath(parentPath, error.property);
    for (const message of Object.values(error.constraints ?? {})) flat.push({ field, message });
    if (error.children?.length) flat.push(...flattenValidationErrors(error.children, field));
  }
  return flat;
}

/** The options every contract class is validated with: unknown properties are errors. */
export function contractValidatorOptions(options: ValidateInstanceOptions = {}): ValidatorOptions {
  const base: ValidatorOptions = {
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    validationError: { target: false, value: false },
  };
  // With a group requested, class-validator runs ungrouped rules only when `always` is set,
  // and skips rules of other groups: this drops exactly the clock rules.
  return options.clockRules === false ? { ...base, groups: [RECORDED_DATA], always: true } : base;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Turns untrusted `plain` data (parsed JSON) into an instance of `cls` and validates it
 * with whitelist + forbidNonWhitelisted. Never throws for bad input: data nested too deeply
 * for the class libraries' recursion, or carrying prototype keys they would drop unseen, is
 * refused before they see it.
 */
export function validateInstance<T extends object>(
  cls: ClassConstructor<T>,
  plain: unknown,
  options: ValidateInstanceOptions = {},
): ValidationResult<T> {
  if (!isPlainObject(plain)) return { ok: false, errors: [{ field: '', message: 'must be a JSON object' }] };
  const shape = shapeErrors(plain);
  if (shape.length > 0) return { ok: false, errors: shape };
  const instance = plainToInstance(cls, plain);
  const errors = validateSync(instance, contractValidatorOptions(options));
  return errors.length === 0 ? { ok: true, value: instance } : { ok: false, errors: flattenValidationErrors(errors) };
}
