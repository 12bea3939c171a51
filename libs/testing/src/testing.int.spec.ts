import { Client } from 'pg';
import { connect } from '@nats-io/transport-node';
import { createTestDatabase, expectEventually, spawnService, startPrivateNats, useNats } from './index';

describe('test infrastructure', () => {
  it('creates an isolated database and drops it', async () => {
    const db = await createTestDatabase();
    const client = new Client({ connectionString: db.url });
    await client.connect();
    const { rows } = await client.query<{ name: string }>('SELECT current_database() AS name');
    await client.end();
    expect(rows[0]?.name).toBe(db.name);
    await db.drop();
    await expect(new Client({ connectionString: db.url }).connect()).rejects.toThrow(/does not exist/);
  });

  it('gives each suite its own NATS namespace', async () => {
    const [a, b] = await Promise.all([useNats(), useNats()]);
    expect(a.namespace).not.toBe(b.namespace);
    expect(a.namespace).toMatch(/^[a-z0-9]+$/);
  });

  it('starts, kills and restarts a private nats-server', async () => {
    const nats = await startPrivateNats();
    try {
      const nc = await connect({ servers: nats.url });
      await nc.close();
      await nats.kill();
      await expect(connect({ servers: nats.url, reconnect: false })).rejects.toThrow();
      await nats.start();
      const again = await connect({ servers: nats.url });
      await again.close();
    } finally {
      await nats.dispose();
    }
  });

  it('expectEventually retries until the assertion holds, and rethrows after the deadline', async () => {
    let calls = 0;
    await expect(expectEventually(() => { calls += 1; if (calls < 3) throw new Error('not yet'); return calls; })).resolves.toBe(3);
    await expect(expectEventually(() => { throw new Error('never'); }, { timeoutMs: 50 })).rejects.toThrow('never');
  });

  it('spawnService gives up at once when the service exits before it answers, with what it printed', async () => {
    // A configuration the service refuses: it exits at start. Waiting out the deadline instead
    // would end with the probe's fetch error, not this one.
    await expect(spawnService('intake', { DATABASE_URL: 'not a url' }, { startTimeoutMs: 120_000 })).rejects.toThrow(/intake exited \(\d+\) before it answered \/health\/live: .*DATABASE_URL/s);
  });
});
