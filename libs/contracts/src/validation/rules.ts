import { buildMessage, ValidateBy, ValidateIf, type ValidationArguments, type ValidationOptions } from 'class-validator';
import { isOcdId } from '../jurisdiction/ocd-id';
import { normalizePhone } from '../observables/normalize';
import { CLOCK_RULES } from './groups';

// Full date and time with a zone; bare dates and zone-less times are ambiguous across states.
const TIMESTAMP_PATTERN = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-](\d{2}):(\d{2}))$/i;

/** Earliest instant accepted anywhere; earlier years are typos (`0202`) rather than incidents. */
export const EARLIEST_TIMESTAMP = '2000-01-01T00:00:00.000Z';
/** How far in the future a reported time may be, to absorb clock skew between reporter and server. */
export const FUTURE_SKEW_MS = 5 * 60_000;

/** Whether `value` is an ISO 8601 date-time with seconds optional and a zone (`Z` or `±hh:mm`), on or after 2000. */
export function isTimestamp(value: unknown): value is string {
  if (typeof value !== 'string' || value.length > 40) return false;
  const match = TIMESTAMP_PATTERN.exec(value);
  if (!match) return false;
  const [year, month, day, hour, minute, second = '0', zoneHour = '0', zoneMinute = '0'] = match.slice(1);
  const y = Number(year);
  const m = Number(month);
  const d = Number(day);
  // Date.parse accepts 2026-02-30 (rolling over to March), so check the calendar ourselves.
  const calendar = new Date(Date.UTC(y, m - 1, d));
  if (calendar.getUTCMonth() !== m - 1 || calendar.getUTCDate() !== d) return false;
  if (Number(hour) > 23 || Number(minute) > 59 || Number(second) > 59 || Number(zoneHour) > 23 || Number(zoneMinute) > 59) return false;
  const time = Date.parse(value);
  return !Number.isNaN(time) && time >= Date.parse(EARLIEST_TIMESTAMP);
}

/** Re-writes a valid timestamp as ISO 8601 UTC with milliseconds (the form events and APIs use). */
export function normalizeTimestamp(value: string): string {
  return new Date(Date.parse(value)).toISOString();
}

/** An ISO 8601 date-time with a time zone (see {@link isTimestamp}). */
export function IsTimestamp(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isTimestamp',
      validator: {
        validate: (value) => isTimestamp(value),
        defaultMessage: buildMessage((each) => `${each}$property must be an ISO 8601 date-time with a time zone, not before 2000`, options),
      },
    },
    options,
  );
}

/** Not later than now plus {@link FUTURE_SKEW_MS}; a clock rule, so it guards client input only. */
export function NotInFuture(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'notInFuture',
      validator: {
        validate: (value) => !isTimestamp(value) || Date.parse(value) <= Date.now() + FUTURE_SKEW_MS,
        defaultMessage: buildMessage((each) => `${each}$property must not be in the future`, options),
      },
    },
    { ...options, groups: [CLOCK_RULES] },
  );
}

/** Not later than the timestamp in sibling property `other` (when both are valid). */
export function NotAfter(other: string, options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'notAfter',
      constraints: [other],
      validator: {
        validate: (value, args?: ValidationArguments) => {
          const limit: unknown = args ? (args.object as Record<string, unknown>)[other] : undefined;
          return !isTimestamp(value) || !isTimestamp(limit) || Date.parse(value) <= Date.parse(limit);
        },
        defaultMessage: buildMessage((each) => `${each}$property must not be later than $constraint1`, options),
      },
    },
    options,
  );
}

/** An OCD-ID under `ocd-division/country:us` (any case; normalisation lower-cases it). */
export function IsOcdId(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isOcdId',
      validator: {
        validate: (value) => isOcdId(value),
        defaultMessage: buildMessage((each) => `${each}$property must be an OCD-ID starting with ocd-division/country:us`, options),
      },
    },
    options,
  );
}

/** A phone number libphonenumber-js accepts (US when no country code). */
export function IsPhone(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isPhone',
      validator: {
        validate: (value) => typeof value === 'string' && value.length <= 40 && normalizePhone(value).ok,
        defaultMessage: buildMessage((each) => `${each}$property must be a valid phone number`, options),
      },
    },
    options,
  );
}

/** A string with at least one character that is not white space. */
export function IsNotBlank(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isNotBlank',
      validator: {
        validate: (value) => typeof value === 'string' && /\S/.test(value),
        defaultMessage: buildMessage((each) => `${each}$property must not be blank`, options),
      },
    },
    options,
  );
}

/**
 * Skips the property's other rules when it is absent. Unlike `@IsOptional()`, `null` is not
 * absent: the contract omits fields, it never sends `null` for them.
 */
export function Optional(options?: ValidationOptions): PropertyDecorator {
  return ValidateIf((_object: object, value: unknown) => value !== undefined, options);
}

/** An object with at least one property that is not undefined (a patch that changes something). */
export function HasAnyDefined(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'hasAnyDefined',
      validator: {
        validate: (value) => typeof value === 'object' && value !== null && Object.values(value).some((v) => v !== undefined),
        defaultMessage: buildMessage((each) => `${each}$property must set at least one field`, options),
      },
    },
    options,
  );
}
