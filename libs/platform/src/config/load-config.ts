import { plainToInstance } from 'class-transformer';
import { type ValidationError, validateSync } from 'class-validator';

/** The environment is invalid; the message names every bad variable (never its value). */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** A class whose instances hold a validated environment. */
export type EnvClass<T extends object> = new () => T;

/**
 * Validates `env` into an instance of `envClass`: values are converted (numbers, booleans,
 * lists), defaults of the class apply to unset or empty variables, and variables the class does
 * not declare are left out. Throws {@link ConfigError} naming each invalid variable.
 */
export function loadConfig<T extends object>(envClass: EnvClass<T>, env: NodeJS.ProcessEnv = process.env): T {
  // An empty variable (`HOST=`) means "not set": the default applies.
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const config = plainToInstance(envClass, present);
  const errors = validateSync(config, { whitelist: true, forbidUnknownValues: true, validationError: { target: false, value: false } });
  if (errors.length > 0) {
    throw new ConfigError(errors.map((error) => describe(error, config)));
  }
  return config;
}

// "PORT: must be an integer number; ..." - class-validator starts each message with the name.
function describe(error: ValidationError, config: object): string {
  const name = error.property;
  if ((config as Record<string, unknown>)[name] === undefined) return `${name}: is required`;
  const messages = Object.values(error.constraints ?? {}).map((message) =>
    message.startsWith(`${name} `) ? message.slice(name.length + 1) : message,
  );
  return `${name}: ${messages.length > 0 ? messages.join('; ') : 'is invalid'}`;
}

/**
 * {@link loadConfig} for `main.ts`: on a {@link ConfigError} prints it to stderr and exits with
 * status 1, so a misconfigured service refuses to start and says why.
 */
export function loadConfigOrExit<T extends object>(envClass: EnvClass<T>, env: NodeJS.ProcessEnv = process.env): T {
  try {
    return loadConfig(envClass, env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}
