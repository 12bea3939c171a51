/**
 * Remembers the last results of a pure function of one string. A submission's phone
 * numbers and observables are normalised several times on their way in (request
 * validation, normalisation, the outbox's event check); libphonenumber and IDNA are costly
 * enough that intake's throughput notices. Bounded, oldest entry first out.
 */
export function memoizeString<T>(fn: (value: string) => T, capacity = 2048): (value: string) => T {
  const cache = new Map<string, T>();
  return (value) => {
    const hit = cache.get(value);
    if (hit !== undefined) return hit;
    const result = fn(value);
    if (cache.size >= capacity) cache.delete(cache.keys().next().value as string);
    cache.set(value, result);
    return result;
  };
}
