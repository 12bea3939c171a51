// Stops whatever the global setup started (nothing, when the local services were used).
export default async function globalTeardown() {
  for (const stop of (globalThis.__WATCHFLOOR_TEST_INFRA__ ?? []).reverse()) await stop();
}
