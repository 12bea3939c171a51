import type { ObservableType } from '../domain/observable-types';
import { normalizeObservable } from './normalize';

const valid: [ObservableType, string, string][] = [
  ['ipv4', '192.0.2.10', '192.0.2.10'],
  ['ipv4', ' 198.51.100.7 ', '198.51.100.7'],
  ['ipv4', '203.0.113[.]5', '203.0.113.5'],
  ['ipv6', '2001:DB8:0:0:0:0:0:1', '2001:db8::1'],
  ['ipv6', '[2001:db8::a]', '2001:db8::a'],
  ['ipv6', '::ffff:192.0.2.1', '::ffff:c000:201'],
  ['domain', 'Example.COM.', 'example.com'],
  ['domain', 'vote-ga[.]gov', 'vote-ga.gov'],
  ['domain', 'bücher.de', 'xn--bcher-kva.de'],
  ['domain', '_dmarc.example.org', '_dmarc.example.org'],
  ['url', 'HTTPS://Example.COM:443/a/../login?x=1#frag', 'https://example.com/login?x=1'],
  ['url', 'hxxp://evil[.]example/path', 'http://evil.example/path'],
  ['url', 'ftp://files.example.net/x', 'ftp://files.example.net/x'],
  ['email', 'Clerk@Fulton.GA.gov', 'clerk@fulton.ga.gov'],
  ['email', 'phisher[@]bücher.de', 'phisher@xn--bcher-kva.de'],
  ['sha256', 'E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
  ['md5', 'D41D8CD98F00B204E9800998ECF8427E', 'd41d8cd98f00b204e9800998ecf8427e'],
  ['phone', '(404) 656-2871', '+14046562871'],
  ['phone', '+44 20 7946 0958', '+442079460958'],
  ['social_handle', '@ElectionTruth', '@electiontruth'],
  ['social_handle', 'Twitter:@Fake_Clerk', 'x:@fake_clerk'],
  ['social_handle', 'telegram:voteinfo', 'telegram:@voteinfo'],
  ['social_handle', 'mastodon:@user@Mastodon.Social', 'mastodon:@user@mastodon.social'],
  ['file_name', 'Ballot Update.PDF.exe', 'Ballot Update.PDF.exe'],
  ['file_name', 'Cafe\u0301.docm', 'Café.docm'],
];

const invalid: [ObservableType, string, string][] = [
  ['ipv4', '01.2.3.4', 'dotted-decimal'],
  ['ipv4', '1.2.3', 'dotted-decimal'],
  ['ipv4', '256.1.1.1', 'dotted-decimal'],
  ['ipv4', '2001:db8::1', 'dotted-decimal'],
  ['ipv6', 'fe80::1%eth0', 'zone'],
  ['ipv6', '2001:db8::g', 'IPv6'],
  ['ipv6', '192.0.2.1', 'IPv6'],
  ['domain', 'com', 'public suffix'],
  ['domain', 'intranet.local', 'public suffix'],
  ['domain', 'foo.localhost', 'public suffix'],
  ['domain', '192.0.2.1', 'not an IP'],
  ['domain', 'https://example.com', 'bare domain'],
  ['domain', '*.example.com', 'bare domain'],
  ['domain', 'ex ample.com', 'bare domain'],
  ['domain', '-bad.example.com', 'valid labels'],
  ['url', 'example.com/path', 'absolute URL'],
  ['url', 'javascript:alert(1)', 'http, https or ftp'],
  ['url', 'file:///etc/passwd', 'http, https or ftp'],
  ['email', 'no-at-sign.example.com', 'e-mail address'],
  ['email', '"quoted"@example.com', 'plain local part'],
  ['email', 'a..b@example.com', 'plain local part'],
  ['email', 'someone@localhost', 'public suffix'],
  ['sha256', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b85', '64 hex'],
  ['sha256', 'z3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', '64 hex'],
  ['md5', 'd41d8cd98f00b204e9800998ecf8427', '32 hex'],
  ['phone', '555-01', 'phone number'],
  ['phone', 'call me', 'phone number'],
  ['social_handle', '@', 'social handle'],
  ['social_handle', 'x:@bad handle', 'social handle'],
  ['social_handle', '1x:@handle', 'social handle'],
  ['file_name', '../../etc/passwd', 'path separators'],
  ['file_name', 'C:\\Users\\x.exe', 'path separators'],
  ['file_name', 'bad\u0000name', 'control characters'],
  ['file_name', '..', 'file name'],
  ['file_name', 'é'.repeat(128), '255 bytes'],
];

describe('normalizeObservable', () => {
  it.each(valid)('%s %j -> %j', (type, value, normalized) => {
    expect(normalizeObservable(type, value)).toEqual({ ok: true, value: normalized });
  });

  it.each(invalid)('rejects %s %j', (type, value, message) => {
    const result = normalizeObservable(type, value);
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.message).toContain(message);
  });

  it('rejects empty and oversized values of every type', () => {
    expect(normalizeObservable('domain', '   ')).toEqual({ ok: false, message: 'must not be empty' });
    expect(normalizeObservable('url', `https://example.com/${'a'.repeat(2100)}`).ok).toBe(false);
  });

  it('is idempotent on normalised values', () => {
    for (const [type, , normalized] of valid) {
      expect(normalizeObservable(type, normalized)).toEqual({ ok: true, value: normalized });
    }
  });
});
