import { type ArgumentMetadata, ValidationPipe, type ValidationPipeOptions } from '@nestjs/common';
import { flattenValidationErrors, shapeErrors } from '@watchfloor/contracts';
import { RequestValidationError } from './domain-error';

/**
 * Nest's pipe, with the contract's shape check first: a key named after a member of
 * `Object.prototype` (`toString`, `hasOwnProperty`, ...) is dropped by class-transformer
 * without a word, so `forbidNonWhitelisted` never sees it; it is refused here instead, as
 * events refuse it.
 */
class ContractValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body' || metadata.type === 'query') {
      const errors = shapeErrors(value);
      if (errors.length > 0) throw new RequestValidationError(errors);
    }
    return super.transform(value, metadata);
  }
}

/**
 * The validation pipe every service uses: unknown fields are refused, DTOs are instantiated
 * (`transform`), and failures become one 400 `REQUEST.VALIDATION` naming each field by path.
 */
export function createValidationPipe(overrides: ValidationPipeOptions = {}): ValidationPipe {
  return new ContractValidationPipe({
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
