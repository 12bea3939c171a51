/** Injection token of the service's validated config object (its `BaseEnv` subclass). */
export const CONFIG = Symbol('watchfloor.config');
/** Injection token of the root pino logger. */
export const ROOT_LOGGER = Symbol('watchfloor.logger');
/** Injection token of the service name. */
export const SERVICE_NAME = Symbol('watchfloor.service');
/** Injection token of the service's `Tracing` (its tracer; the no-op one when tracing is off). */
export const TRACING = Symbol('watchfloor.tracing');
