import { ValidationPipe, type ValidationPipeOptions } from '@nestjs/common';
import { flattenValidationErrors } from '@watchfloor/contracts';
import { RequestValidationError } from './domain-error';

/**
 * The validation pipe every service uses: unknown fields are refused, DTOs are instantiated
 * (`transform`), and failures become one 400 `REQUEST.VALIDATION` naming each field by path.
 */
export function createValidationPipe(overrides: ValidationPipeOptions = {}): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    // Values and targets are not needed for messages and would only cost memory.
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => new RequestValidationError(flattenValidationErrors(errors)),
    ...overrides,
  });
}
