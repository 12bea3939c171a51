import { Transform } from 'class-transformer';

// Environment values are strings; these turn them into typed values before validation.
// A value that cannot be converted is passed on unchanged so that the validator names it.

/** Parses an integer (`"3000"` -> 3000). */
export function EnvInt(): PropertyDecorator {
  return Transform(({ value }: { value: unknown }) => {
    if (typeof value !== 'string') return value;
    return /^-?\d+$/.test(value.trim()) ? Number(value.trim()) : value;
  });
}

/** Parses a decimal number (`"0.25"` -> 0.25). */
export function EnvNumber(): PropertyDecorator {
  return Transform(({ value }: { value: unknown }) => {
    if (typeof value !== 'string') return value;
    return /^-?(\d+\.?\d*|\.\d+)$/.test(value.trim()) ? Number(value.trim()) : value;
  });
}

/** Parses `true/false/1/0/yes/no/on/off` (case-insensitive). */
export function EnvBool(): PropertyDecorator {
  return Transform(({ value }: { value: unknown }) => {
    if (typeof value !== 'string') return value;
    const normalised = value.trim().toLowerCase();
    if (['true', '1', 'yes', 'on'].includes(normalised)) return true;
    if (['false', '0', 'no', 'off'].includes(normalised)) return false;
    return value;
  });
}

/** Splits a comma-separated list, trimming items and dropping empty ones. */
export function EnvList(): PropertyDecorator {
  return Transform(({ value }: { value: unknown }) => {
    if (typeof value !== 'string') return value;
    return value
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item.length > 0);
  });
}
