import { aSubmission, expectEventually } from '@watchfloor/testing';
import { startIntake, type IntakeUnderTest } from './harness';

// What Prometheus scrapes from a service: its own metrics and its messaging's (outbox, consumers).
describe('intake /metrics', () => {
  let intake: IntakeUnderTest;

  beforeAll(async () => {
    intake = await startIntake();
  });
  afterAll(async () => {
    await intake?.close();
  });

  const scrape = async () => (await intake.request('GET', '/metrics')).text();

  it('serves the outbox and consumer metrics beside the HTTP ones', async () => {
    const response = await intake.request('POST', '/v1/incidents', { token: await intake.token(), body: aSubmission() });
    expect(response.status).toBe(201);
    await intake.counts(); // the event is on the stream

    await expectEventually(async () => expect(await scrape()).toMatch(/^watchfloor_outbox_published_total\{[^}]*service="intake"[^}]*\} 1$/m));
    const text = await scrape();
    expect(text).toMatch(/^watchfloor_outbox_lag_seconds_count\{[^}]*\} 1$/m);
    // intake follows triage's events; nothing has come yet, so nothing is pending.
    expect(text).toMatch(/^watchfloor_consumer_pending\{consumer="intake--incident-triaged"[^}]*\} 0$/m);
    expect(text).toMatch(/^http_requests_total\{[^}]*route="\/v1\/incidents"[^}]*status="201"[^}]*\} 1$/m);
  });
});
