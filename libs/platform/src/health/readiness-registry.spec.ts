import { ReadinessRegistry } from './readiness-registry';

describe('ReadinessRegistry', () => {
  it('is ready with no checks, and when every check passes', async () => {
    const registry = new ReadinessRegistry();
    await expect(registry.check()).resolves.toMatchObject({ ready: true, checks: {} });
    registry.register('db', async () => undefined);
    registry.register('nats', () => true);
    await expect(registry.check()).resolves.toEqual({ ready: true, checks: { db: 'ok', nats: 'ok' }, failures: {} });
  });

  it('fails on a throw, a rejection, false, or a timeout, naming the reason', async () => {
    const registry = new ReadinessRegistry();
    registry.register('db', async () => {
      throw new Error('connection refused');
    });
    registry.register('streams', () => false);
    registry.register('nats', () => new Promise(() => undefined), 10);
    registry.register('ok', () => undefined);
    const report = await registry.check();
    expect(report.ready).toBe(false);
    expect(report.checks).toEqual({ db: 'failed', streams: 'failed', nats: 'failed', ok: 'ok' });
    expect(report.failures).toEqual({ db: 'connection refused', streams: 'reported not ready', nats: 'timed out after 10 ms' });
  });

  it('is never ready once shutting down', async () => {
    const registry = new ReadinessRegistry();
    registry.beforeApplicationShutdown();
    await expect(registry.check()).resolves.toMatchObject({ ready: false });
  });
});
