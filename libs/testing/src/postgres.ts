import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/** A database made for one test suite; `drop()` removes it. */
export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

const LOCAL_POSTGRES = 'postgres://postgres@127.0.0.1:5432/postgres';

/**
 * The server tests create their databases on: `DATABASE_URL` when given (the Jest global
 * setup sets it to the running local server, a container or an embedded Postgres).
 */
export function testPostgresUrl(): string {
  return process.env['DATABASE_URL'] ?? LOCAL_POSTGRES;
}

/** Creates a fresh database on the test server (or on `server`), so each suite is isolated from the others. */
export async function createTestDatabase(prefix = 'wf_test', server = testPostgresUrl()): Promise<TestDatabase> {
  const serverUrl = new URL(server);
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  const admin = adminUrl(serverUrl);
  await withClient(admin, (client) => client.query(`CREATE DATABASE "${name}"`));
  const url = new URL(serverUrl.toString());
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    drop: () => withClient(admin, (client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => undefined),
  };
}

function adminUrl(serverUrl: URL): string {
  const admin = new URL(serverUrl.toString());
  admin.pathname = '/postgres';
  return admin.toString();
}

/** Runs `work` with a connection to `url`, closed afterwards. */
export async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
