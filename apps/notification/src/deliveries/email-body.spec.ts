import { createEvent, normalizeSubmission } from '@watchfloor/contracts';
import { aSubmission } from '@watchfloor/testing';
import { redactForNotification } from '../routing/redaction';
import { composeEmail } from './email-body';

const reported = () =>
  createEvent(
    'watchfloor.incident.reported.v1',
    {
      incidentId: '01a2178d-aa3e-7b48-968d-c337ee9fca5b', version: 1, reference: 'WF-2026-000042',
      submission: normalizeSubmission(aSubmission({ title: 'Fake <script>alert(1)</script> portal', tlp: 'green' })),
      submittedBy: { sub: 'clerk' }, receivedAt: '2026-11-03T13:05:07.123Z',
    },
    { source: '/watchfloor/intake', subject: '01a2178d-aa3e-7b48-968d-c337ee9fca5b', tlp: 'green', jurisdiction: 'ocd-division/country:us/state:ga/county:fulton', correlationId: 'c' },
  );

describe('composeEmail', () => {
  it('states the TLP first and last, with a subject naming it', () => {
    const mail = composeEmail(redactForNotification(reported()));
    expect(mail.subject).toBe('[TLP:GREEN] Watchfloor: new incident WF-2026-000042: Fake <script>alert(1)</script> portal');
    expect(mail.text.split('\n')[0]).toMatch(/^TLP:GREEN: Recipients can spread this within their community/);
    expect(mail.text.trimEnd().split('\n').at(-1)).toBe('TLP:GREEN');
  });

  it('marks exercise traffic in the subject and before anything else', () => {
    const real = reported();
    const event = { ...real, exercise: 'ga-tabletop-2026-10', data: { ...real.data, submission: { ...real.data.submission, exercise: 'ga-tabletop-2026-10' } } };
    const mail = composeEmail(redactForNotification(event));
    expect(mail.subject).toBe('[EXERCISE ga-tabletop-2026-10] [TLP:GREEN] Watchfloor: new incident WF-2026-000042: Fake <script>alert(1)</script> portal');
    expect(mail.text.split('\n')[0]).toBe('EXERCISE ga-tabletop-2026-10: this is exercise traffic, not a real incident.');
    expect(mail.html).toContain('<strong>EXERCISE ga-tabletop-2026-10: this is exercise traffic, not a real incident.</strong>');
  });

  it('escapes HTML', () => {
    const mail = composeEmail(redactForNotification(reported()));
    expect(mail.html).toContain('Fake &lt;script&gt;alert(1)&lt;/script&gt; portal');
    expect(mail.html).not.toContain('<script>');
  });

  it('carries no contact details once redacted', () => {
    const mail = composeEmail(redactForNotification(reported()));
    for (const body of [mail.text, mail.html]) {
      expect(body).not.toContain('dana.clerk@fultoncountyga.gov');
      expect(body).not.toContain('+14045550100');
    }
  });
});
