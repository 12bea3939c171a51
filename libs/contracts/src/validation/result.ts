/** One validation problem, `field` being the dotted and indexed path, e.g. `observables[2].value`. */
export interface FieldError {
  field: string;
  message: string;
}

/** Outcome of validating untrusted input against a contract class. */
export type ValidationResult<T> = { ok: true; value: T } | { ok: false; errors: FieldError[] };
