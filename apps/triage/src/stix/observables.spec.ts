import { stixPattern, toStixObservable } from './observables';

describe('observables in STIX', () => {
  it('maps each observable type to its cyber-observable and pattern', () => {
    expect(toStixObservable({ type: 'ipv4', value: '192.0.2.1' })).toEqual({ type: 'ipv4-addr', spec_version: '2.1', id: expect.stringMatching(/^ipv4-addr--/), value: '192.0.2.1' });
    expect(toStixObservable({ type: 'sha256', value: 'ab'.repeat(32) })).toMatchObject({ type: 'file', hashes: { 'SHA-256': 'ab'.repeat(32) } });
    expect(toStixObservable({ type: 'social_handle', value: 'x:@fake_sos' })).toMatchObject({ type: 'user-account', account_type: 'twitter', user_id: '@fake_sos' });
    expect(toStixObservable({ type: 'phone', value: '+14045550100' })).toBeUndefined();

    expect(stixPattern({ type: 'domain', value: 'sos-georgia-verify.com' })).toBe("[domain-name:value = 'sos-georgia-verify.com']");
    expect(stixPattern({ type: 'sha256', value: 'ab'.repeat(32) })).toBe(`[file:hashes.'SHA-256' = '${'ab'.repeat(32)}']`);
    expect(stixPattern({ type: 'md5', value: 'cd'.repeat(16) })).toBe(`[file:hashes.MD5 = '${'cd'.repeat(16)}']`);
    expect(stixPattern({ type: 'social_handle', value: 'x:@fake_sos' })).toBe("[user-account:account_type = 'twitter' AND user-account:user_id = '@fake_sos']");
    expect(stixPattern({ type: 'phone', value: '+14045550100' })).toBeUndefined();
  });

  it("escapes quotes and backslashes in a pattern's string literal", () => {
    expect(stixPattern({ type: 'file_name', value: "o'brien\\invoice.pdf" })).toBe("[file:name = 'o\\'brien\\\\invoice.pdf']");
  });

  it('gives the same observable the same id, and another one another id', () => {
    const a = toStixObservable({ type: 'url', value: 'https://example.com/a' });
    expect(toStixObservable({ type: 'url', value: 'https://example.com/a' })?.id).toBe(a?.id);
    expect(toStixObservable({ type: 'url', value: 'https://example.com/b' })?.id).not.toBe(a?.id);
  });
});
