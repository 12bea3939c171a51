import type { EventHandlers } from './subscription-types';
import { subscribeEvents } from './subscribe-events';

const handlers: EventHandlers = { 'watchfloor.incident.reported.v1': () => undefined };

// Mistakes in the options are refused before any connection is made.
describe('subscribeEvents options', () => {
  it('refuses a handler for something that is not an event type of the catalogue', async () => {
    const misspelt = { 'watchfloor.incident.reportd.v1': () => undefined } as unknown as EventHandlers;
    await expect(subscribeEvents({ servers: 'nats://127.0.0.1:1', durableName: 'soar', handlers: misspelt })).rejects.toThrow(/"watchfloor.incident.reportd.v1" is not a Watchfloor event type/);
  });

  it('needs handlers, one way to reach NATS, a positive concurrency and delays', async () => {
    await expect(subscribeEvents({ servers: 'nats://127.0.0.1:1', durableName: 'soar', handlers: {} })).rejects.toThrow(/at least one event type/);
    await expect(subscribeEvents({ durableName: 'soar', handlers })).rejects.toThrow(/either connection or servers/);
    await expect(subscribeEvents({ servers: 'nats://127.0.0.1:1', durableName: 'soar', handlers, concurrency: 0 })).rejects.toThrow(/concurrency/);
    await expect(subscribeEvents({ servers: 'nats://127.0.0.1:1', durableName: 'soar', handlers, retryDelaysMs: [] })).rejects.toThrow(/retryDelaysMs/);
  });
});
