import { expectEventually, startSmtpServer, type TestSmtpServer } from '@watchfloor/testing';
import { anIncident, reported, triaged } from './events';
import { eventuallyLedger, startNotification, type NotificationUnderTest } from './harness';

const REPORTED = 'watchfloor.incident.reported.v1';
const TRIAGED = 'watchfloor.incident.triaged.v1';

describe('notification: e-mail over SMTP (a real SMTP server)', () => {
  let nut: NotificationUnderTest;
  let smtp: TestSmtpServer;

  beforeAll(async () => {
    smtp = await startSmtpServer();
    nut = await startNotification({ NOTIFICATION_SMTP_URL: smtp.url, NOTIFICATION_MAIL_FROM: 'Watchfloor <alerts@watchfloor-test.org>' });
  });
  afterAll(async () => {
    await nut.close();
    await smtp.close();
  });

  it('sends plain-text and HTML bodies from the event, marked with its TLP, without the reporter\'s contact details', async () => {
    const { id } = await nut.subscribe({ role: 'partner', org: 'fusion' }, { name: 'SOC mailbox', channel: 'email', target: 'SOC@Fusion-Center.org', events: [REPORTED, TRIAGED] });
    const incident = anIncident();
    const report = reported(incident);
    await nut.publish(report, triaged(incident, 'severe'));

    await expectEventually(() => expect(smtp.messages).toHaveLength(2));
    const [rows] = await Promise.all([eventuallyLedger(nut, 'subscription_id = $1', [id], (r) => expect(r.map((x) => x.status)).toEqual(['delivered', 'delivered']))]);
    const mail = smtp.messages.find((m) => m.decoded.includes(report.id));
    expect(mail?.to).toEqual(['soc@fusion-center.org']);
    expect(mail?.from).toBe('alerts@watchfloor-test.org');
    const raw = mail?.decoded ?? '';
    expect(raw).toMatch(/^Subject: \[TLP:AMBER\] Watchfloor: new incident WF-/m);
    expect(raw).toContain('Content-Type: text/plain');
    expect(raw).toContain('Content-Type: text/html');
    expect(raw).toContain('TLP:AMBER: Recipients can only spread this on a need-to-know basis');
    expect(raw).toContain('Phishing e-mail impersonating the Secretary of State');
    expect(raw).not.toContain('dana.clerk@fultoncountyga.gov');
    expect(raw).not.toContain('+14045550100');
    // The Message-ID is the delivery id: stable across retries, so a resent message is recognised.
    expect(raw).toContain(`Message-ID: <${rows.find((r) => r.event_id === report.id)?.id}@watchfloor>`);

    const triageMail = smtp.messages.find((m) => !m.decoded.includes(report.id));
    expect(triageMail?.decoded).toMatch(/^Subject: \[TLP:AMBER\] Watchfloor: incident triaged: priority severe/m);
  });

  it('a temporary SMTP refusal (4xx) is retried; a permanent one (5xx) is dead at once', async () => {
    const { id } = await nut.subscribe({ role: 'partner' }, { name: 'flaky mailbox', channel: 'email', target: 'desk@county-it.org', events: [REPORTED] });
    const toDesk = () => smtp.messages.filter((m) => m.to.includes('desk@county-it.org'));
    smtp.refuseWith(451);
    const first = reported(anIncident());
    await nut.publish(first);
    await eventuallyLedger(nut, 'subscription_id = $1 AND event_id = $2', [id, first.id], (r) => expect(r[0]?.last_error).toMatch(/^SMTP 451/));
    smtp.refuseWith(undefined);
    await eventuallyLedger(nut, 'subscription_id = $1 AND event_id = $2', [id, first.id], (r) => expect(r.map((x) => x.status)).toEqual(['delivered']));
    expect(toDesk()).toHaveLength(1);

    smtp.refuseWith(550);
    const second = reported(anIncident());
    await nut.publish(second);
    const [dead] = await eventuallyLedger(nut, 'subscription_id = $1 AND event_id = $2', [id, second.id], (r) => expect(r.map((x) => x.status)).toEqual(['dead']));
    smtp.refuseWith(undefined);
    expect(toDesk()).toHaveLength(1);
    expect(dead).toMatchObject({ attempts: 1, last_error: expect.stringMatching(/^SMTP 550/) });
  });
});
