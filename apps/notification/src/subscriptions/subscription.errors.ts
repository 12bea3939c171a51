import { ConflictError, ForbiddenError, NotFoundError, RequestValidationError } from '@watchfloor/platform';

export const subscriptionNotFound = () => new NotFoundError('SUBSCRIPTION.NOT_FOUND', 'No such subscription.');

export const invalidTarget = (message: string) => new RequestValidationError([{ field: 'target', message }]);

export const onlyAdminsSubscribeForOthers = (field: 'owner' | 'clearance') =>
  new ForbiddenError('SUBSCRIPTION.OWNER_FORBIDDEN', `Only an admin may set ${field}: a subscription is the caller's, with the caller's clearance.`);

export const clearanceAboveCaller = () =>
  new RequestValidationError([{ field: 'clearance', message: 'clearance may not exceed your own' }]);

export const emptyChange = () =>
  new RequestValidationError([{ field: 'name', message: 'a change needs name, target, events or filter' }]);

export const noSecretForEmail = () =>
  new ConflictError('SUBSCRIPTION.NO_SECRET', 'E-mail subscriptions have no signing secret to rotate.');

export const jurisdictionForbidden = (jurisdiction: string | undefined) =>
  new ForbiddenError(
    'SUBSCRIPTION.JURISDICTION_FORBIDDEN',
    jurisdiction === undefined
      ? 'An automation subscribes within its jurisdiction, and this token names none.'
      : `An automation subscribes within its jurisdiction: ${jurisdiction} is outside it (filter.jurisdictions).`,
  );
