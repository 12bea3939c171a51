import { registerDecorator, type ValidationOptions } from 'class-validator';

/** True when `value` parses as a URL whose scheme is one of `protocols` (without the colon). */
export function isUrlWithProtocol(value: unknown, protocols: readonly string[]): boolean {
  if (typeof value !== 'string') return false;
  try {
    const url = new URL(value);
    return protocols.includes(url.protocol.slice(0, -1)) && url.hostname.length > 0;
  } catch {
    return false;
  }
}

/**
 * Validates a URL with one of the given schemes (`postgres`, `nats`, `https`...). class-validator's
 * `IsUrl` rejects `postgres://` and `nats://` URLs, hence this one. Works on each item of an array
 * with `{ each: true }`.
 */
export function IsUrlWithProtocol(protocols: readonly string[], options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    registerDecorator({
      name: 'isUrlWithProtocol',
      target: target.constructor,
      propertyName: String(propertyName),
      constraints: [protocols],
      options: { message: `must be a ${protocols.join(' or ')} URL`, ...options },
      validator: { validate: (value: unknown) => isUrlWithProtocol(value, protocols) },
    });
  };
}
