import { BOUNDS } from './bounds';
import type { FieldError } from './result';

/**
 * Keys JSON can carry that name an object's prototype machinery: `__proto__`, `constructor`,
 * `prototype`, and every method of `Object.prototype` (`toString`, `hasOwnProperty`, ...).
 * class-transformer skips them silently (a key naming an inherited method is not copied), so
 * without this check a payload carrying one would pass as if it had no unknown property, and
 * whoever keeps the raw JSON (audit) would keep what was never checked.
 */
const PROTOTYPE_KEYS = new Set([...Object.getOwnPropertyNames(Object.prototype), 'prototype']);

const INDEX = /^\d+$/;

function joinPath(parent: string, key: string): string {
  if (parent === '') return key;
  return INDEX.test(key) ? `${parent}[${key}]` : `${parent}.${key}`;
}

/**
 * What is wrong with the shape of untrusted parsed JSON before any class sees it: nesting
 * deeper than {@link BOUNDS.nesting} (class-transformer and class-validator recurse, and a
 * few thousand levels overflow the stack) and prototype keys. Walks with its own stack, so
 * no depth of input can make it throw.
 */
export function shapeErrors(plain: unknown): FieldError[] {
  const errors: FieldError[] = [];
  const pending: Array<{ value: unknown; path: string; depth: number }> = [{ value: plain, path: '', depth: 0 }];
  while (pending.length > 0) {
    const { value, path, depth } = pending.pop() as { value: unknown; path: string; depth: number };
    if (typeof value !== 'object' || value === null) continue;
    if (depth >= BOUNDS.nesting) {
      // One error per over-deep branch is enough, and reading further would be the attack.
      errors.push({ field: path, message: `${path || 'value'} is nested more than ${BOUNDS.nesting} levels deep` });
      continue;
    }
    for (const key of Object.keys(value)) {
      const field = joinPath(path, key);
      if (PROTOTYPE_KEYS.has(key)) {
        errors.push({ field, message: `property ${key} should not exist` });
        continue;
      }
      pending.push({ value: (value as Record<string, unknown>)[key], path: field, depth: depth + 1 });
    }
  }
  return errors;
}
