import type { HttpApp } from '@watchfloor/platform';
import { createTestDatabase } from './postgres';
import { useNats, type TestNats } from './nats';

/** Makes the service's app from the environment the tests give it (its database, NATS namespace, port 0). */
export type CreateApp = (env: Record<string, string>) => Promise<HttpApp>;

/** One service listening on its own database and NATS namespace. */
export interface ServiceUnderTest {
  app: HttpApp;
  url: string;
  databaseUrl: string;
  /** Its NATS server and namespace. */
  nats: TestNats;
  close(): Promise<void>;
}

/** Starts the service alone, its rate limit lifted (these tests call it many times as one caller). */
export async function startServiceUnderTest(createApp: CreateApp): Promise<ServiceUnderTest> {
  const db = await createTestDatabase();
  const nats = await useNats();
  const app = await createApp({ DATABASE_URL: db.url, NATS_URL: nats.url, NATS_NAMESPACE: nats.namespace, PORT: '0', LOG_LEVEL: 'silent', RATE_LIMIT_PER_MINUTE: '100000' });
  const url = await app.listen();
  return {
    app,
    url,
    databaseUrl: db.url,
    nats,
    close: async () => {
      await app.close();
      await nats.cleanup();
      await db.drop();
    },
  };
}
