// Example: a ticketing bridge that opens a ticket for every incident reported in Georgia and
// sets its priority once triage has scored it, from Watchfloor's JetStream events.
// Run it: NATS_URL=nats://127.0.0.1:4222 SWC_NODE_PROJECT=tsconfig.json node -r @swc-node/register libs/sdk/examples/consume-stream.ts
import { subscribeEvents, type Subscription } from '@watchfloor/sdk';

/** The ticketing system's side (Jira, ServiceNow, ...). Each call must be idempotent: events come at least once. */
export interface TicketSystem {
  open(incidentId: string, ticket: { title: string; reference: string; jurisdiction: string }): Promise<void>;
  setPriority(incidentId: string, priority: string, score: number): Promise<void>;
}

/** Where the bridge reads from. */
export interface BridgeOptions {
  servers: string;
  /** The deployment's NATS_NAMESPACE, if any. */
  namespace?: string;
  /** Several copies of the bridge may run with the same name: each event goes to one of them. */
  durableName?: string;
}

export function startTicketBridge(tickets: TicketSystem, options: BridgeOptions): Promise<Subscription> {
  return subscribeEvents({
    servers: options.servers,
    ...(options.namespace !== undefined ? { namespace: options.namespace } : {}),
    durableName: options.durableName ?? 'ticket-bridge',
    states: ['ga'],
    handlers: {
      // Each handler gets its own event type: `event.data` is that type's payload.
      'watchfloor.incident.reported.v1': (event) =>
        tickets.open(event.data.incidentId, { title: event.data.submission.title, reference: event.data.reference, jurisdiction: event.jurisdiction }),
      'watchfloor.incident.triaged.v1': (event) => tickets.setPriority(event.data.incidentId, event.data.priority, event.data.score),
    },
    // A throwing handler is retried after these delays, then given up (and reported here).
    onProblem: (problem) => console.warn(`${problem.consumer}: ${problem.kind}`, 'error' in problem ? problem.error : ''),
  });
}

async function main(): Promise<void> {
  const consoleTickets: TicketSystem = {
    open: async (id, ticket) => console.log(`ticket for ${ticket.reference} (${id}): ${ticket.title}`),
    setPriority: async (id, priority, score) => console.log(`ticket ${id}: priority ${priority} (score ${score})`),
  };
  const bridge = await startTicketBridge(consoleTickets, { servers: process.env['NATS_URL'] ?? 'nats://127.0.0.1:4222' });
  console.log(`consuming ${bridge.consumers.map((c) => c.filterSubject).join(', ')}; Ctrl-C stops`);
  process.once('SIGINT', () => void bridge.stop());
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
