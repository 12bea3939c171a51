// Public entry point of @watchfloor/sdk: what an automation (a SOAR, a sensor, a ticketing
// bridge) needs to submit incidents, consume the event stream and verify webhooks.
// See docs/sdk.md.

export { WatchfloorClient } from './http/watchfloor-client';
export type { WatchfloorClientOptions, TokenSource, CallOptions, SubmitOptions, RetryNotice } from './http/watchfloor-client';
export type { SubmissionResult, IncidentView, IncidentUpdateView, StatusChange, UpdateReceipt } from './http/resources';
export { DEFAULT_RETRY_POLICY, retryDelay, parseRetryAfter } from './http/retry-policy';
export type { RetryPolicy, RetryReason } from './http/retry-policy';
export { WatchfloorError, WatchfloorApiError, WatchfloorNetworkError } from './http/errors';
export type { Problem } from './http/errors';

export { subscribeEvents, DEFAULT_RETRY_DELAYS_MS } from './events/subscribe-events';
export type { SubscribeOptions, Subscription, DeliverFrom } from './events/subscribe-events';
export { planConsumers } from './events/consumer-plan';
export type { PlannedConsumer, ConsumerPlanInput } from './events/consumer-plan';
export type { Delivery, EventHandler, EventHandlers, SubscriptionProblem } from './events/subscription-types';

export { verifyWebhook, WebhookVerificationFailed } from './webhooks/verify-webhook';
export type { WebhookHeaders } from './webhooks/verify-webhook';

// The contract's types, so an automation needs no second import for what it handles.
export type {
  AnyEvent,
  CloudEvent,
  EventOf,
  EventPayloadMap,
  EventType,
  FieldError,
  IncidentSubmission,
  IncidentUpdateSubmission,
  NormalizedSubmission,
} from '@watchfloor/contracts';
export { EVENT_TYPES, isEventType } from '@watchfloor/contracts';
