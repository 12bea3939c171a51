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

/** An object or list met on the walk; its path is spelled out only if it has something wrong. */
interface Visit {
  value: object;
  parent: Visit | undefined;
  key: string;
  depth: number;
}

function pathOf(visit: Visit | undefined): string {
  return visit === undefined || visit.parent === undefined ? '' : joinPath(pathOf(visit.parent), visit.key);
}

/**
 * What is wrong with the shape of untrusted parsed JSON before any class sees it: nesting
 * deeper than {@link BOUNDS.nesting} (class-transformer and class-validator recurse, and a
 * few thousand levels overflow the stack) and prototype keys. Walks with its own stack, so
 * no depth of input can make it throw. Runs on every event checked: it names no field until
 * one is wrong.
 */
export function shapeErrors(plain: unknown): FieldError[] {
  const errors: FieldError[] = [];
  if (typeof plain !== 'object' || plain === null) return errors;
  const pending: Visit[] = [{ value: plain, parent: undefined, key: '', depth: 0 }];
  while (pending.length > 0) {
    const visit = pending.pop() as Visit;
    const { value, depth } = visit;
    if (depth >= BOUNDS.nesting) {
      // One error per over-deep branch is enough, and reading further would be the attack.
      const path = pathOf(visit);
      errors.push({ field: path, message: `${path || 'value'} is nested more than ${BOUNDS.nesting} levels deep` });
      continue;
    }
    for (const key of Object.keys(value)) {
      if (PROTOTYPE_KEYS.has(key)) {
        errors.push({ field: joinPath(pathOf(visit), key), message: `property ${key} should not exist` });
        continue;
      }
      const item: unknown = (value as Record<string, unknown>)[key];
      if (typeof item === 'object' && item !== null) pending.push({ value: item, parent: visit, key, depth: depth + 1 });
    }
  }
  return errors;
}
