// Public entry point of @watchfloor/contracts: the code form of EVENTS.md and DOMAIN.md.
// Decorator metadata needs reflect-metadata loaded before any payload class is defined.
import 'reflect-metadata';

export * from './envelope';
export * from './tlp';

export * from './domain/roles';
export * from './domain/incident';
export * from './domain/impacts';
export * from './domain/priority';
export * from './domain/lifecycle';
export * from './domain/notification';
export * from './domain/observable-types';
export * from './domain/exercise';
export { isUuid } from './ids/uuid';
export { EXERCISE_ID_PATTERN, isExerciseId, IsExerciseId, exerciseOfData } from './exercise/exercise-id';

export * from './jurisdiction/ocd-id';

export { normalizeObservable, normalizeDomain, normalizeEmail, normalizePhone, OBSERVABLE_VALUE_MAX_LENGTH, FILE_NAME_MAX_BYTES } from './observables/normalize';
export type { NormalizeResult } from './observables/normalize';
export { Observable, IsObservableValue } from './observables/observable';

export type { FieldError, ValidationResult } from './validation/result';
export { validateInstance, flattenValidationErrors, contractValidatorOptions } from './validation/validate';
export { shapeErrors } from './validation/shape';
export { compileChecker } from './validation/compiled-checker';
export type { CompiledChecker } from './validation/compiled-checker';
export type { ValidateInstanceOptions } from './validation/validate';
export { CLOCK_RULES, RECORDED_DATA } from './validation/groups';
export { BOUNDS } from './validation/bounds';
export {
  isTimestamp,
  normalizeTimestamp,
  IsTimestamp,
  NotInFuture,
  NotAfter,
  IsOcdId,
  IsPhone,
  IsNotBlank,
  Optional,
  HasAnyDefined,
  EARLIEST_TIMESTAMP,
  FUTURE_SKEW_MS,
} from './validation/rules';

export * from './submission/impacts';
export * from './submission/reporter';
export * from './submission/incident-submission';
export * from './submission/incident-update-submission';
export * from './submission/normalize-submission';

export * from './events/common';
export * from './events/incident-reported';
export * from './events/incident-updated';
export * from './events/incident-triaged';
export * from './events/incident-handling';
export * from './events/incident-correlated';
export * from './events/incident-note-added';
export * from './events/notification-delivery';
export * from './events/subscription-changed';
export * from './events/audit-checkpoint';
export * from './events/exercise-purged';

export * from './catalogue/streams';
export { EVENT_CATALOGUE, EVENT_TYPES, SCHEMA_BASE_URL, isEventType } from './catalogue/catalogue';
export type { EventPayloadMap, EventType, EventOf, AnyEvent, EventDescriptor } from './catalogue/catalogue';
export { subjectFor, filterSubjectFor, consumerNameFor } from './catalogue/subjects';
export { createEvent } from './catalogue/create-event';
export type { EventMeta } from './catalogue/create-event';
export { validateEventData, validateEventDataWithClassValidator, validateEvent } from './catalogue/validate-event';
export type { EventDataValidator } from './catalogue/validate-event';
// Valid examples of every payload: what tests mutate into hostile ones (libs/testing).
export { VALID_PAYLOADS } from './catalogue/payload.fixtures';

export { contractJsonSchemas } from './schemas/json-schemas';
export type { JsonSchema } from './schemas/json-schemas';
export { asyncApiDocument } from './schemas/asyncapi';
