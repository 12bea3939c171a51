// Reconciliation: re-queue a service's outbox rows created since a point in time and
// publish them again. Safe to repeat: the broker drops repeats inside its duplicate window
// (Nats-Msg-Id) and every consumer's inbox drops the rest.
//
//   npm run outbox:replay -- --schema intake --since 2026-11-03T00:00:00Z [--until ...] [--no-publish]
//   node /app/dist/main.js outbox-replay --schema intake --since ...      (in the container image)
//
// Environment, named as the services name it so that running it inside a service's container
// uses that service's connections: DATABASE_URL (default the local server), NATS_URL (one URL
// or a comma-separated list; default nats://127.0.0.1:4222), NATS_USER/NATS_PASS or NATS_TOKEN.
import { DataSource } from 'typeorm';
import { connectJetStream, OutboxRelay, replayOutbox } from '@watchfloor/messaging';
import { serviceDataSourceOptions } from '@watchfloor/persistence';
import { CommandLine } from '../cli/command-line';

interface ReplayArgs {
  schema: string;
  since: Date;
  until?: Date;
  publish: boolean;
}

const USAGE = `usage: npm run outbox:replay -- --schema <service schema> --since <ISO time> [--until <ISO time>] [--no-publish]
   or: node /app/dist/main.js outbox-replay --schema ... (in the container image)

Re-queues the outbox rows of the schema created in [since, until) and publishes them (unless
--no-publish: the service's own relay then publishes them). Reads DATABASE_URL, NATS_URL,
NATS_USER, NATS_PASS and NATS_TOKEN as the services do.
`;

// Typed, so that TypeScript knows `cli.usage(...)` does not return.
const cli: CommandLine = new CommandLine(USAGE);

function readArgs(): ReplayArgs {
  const { values } = cli.parse({
    options: {
      schema: { type: 'string' },
      since: { type: 'string' },
      until: { type: 'string' },
      'no-publish': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (!values.schema || !/^[a-z_][a-z0-9_]*$/.test(values.schema)) cli.usage('--schema must name a service schema');
  const since = cli.time('since', values.since) ?? cli.usage('--since is required');
  const until = cli.time('until', values.until);
  return { schema: values.schema, since, ...(until ? { until } : {}), publish: !values['no-publish'] };
}

async function main(): Promise<void> {
  const args = readArgs();
  const env = cli.environment();
  // No migrations: this tool only touches the outbox of a service that already runs.
  const dataSource = new DataSource(serviceDataSourceOptions({ url: env.DATABASE_URL, schema: args.schema, applicationName: 'outbox-replay', poolSize: 2 }));
  await dataSource.initialize();
  try {
    const requeued = await replayOutbox(dataSource, args.since, args.until ? { until: args.until } : {});
    process.stdout.write(`re-queued ${requeued} outbox row(s) of schema ${args.schema} created since ${args.since.toISOString()}\n`);
    if (!args.publish || requeued === 0) return;
    // Publish them now, rather than waiting for the service's own relay to notice.
    const connection = await connectJetStream({
      servers: env.NATS_URL,
      name: `outbox-replay-${args.schema}`,
      ...(env.NATS_USER !== undefined ? { user: env.NATS_USER } : {}),
      ...(env.NATS_PASS !== undefined ? { pass: env.NATS_PASS } : {}),
      ...(env.NATS_TOKEN !== undefined ? { token: env.NATS_TOKEN } : {}),
    });
    try {
      let duplicates = 0;
      const relay = new OutboxRelay({
        dataSource, js: connection.js, service: args.schema, schema: args.schema,
        onPublished: (rows) => (duplicates += rows.filter((row) => row.duplicate).length),
      });
      const published = await relay.publishPending();
      process.stdout.write(`published ${published} row(s); the broker already had ${duplicates} of them\n`);
    } finally {
      await connection.close();
    }
  } finally {
    await dataSource.destroy();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`outbox replay failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
