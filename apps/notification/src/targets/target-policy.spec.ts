import { addressRefusal, checkEmailTarget, checkWebhookTarget, type TargetPolicy } from './target-policy';

const STRICT: TargetPolicy = { allowHttp: false, allowLoopback: false, allowPrivate: false };
const LOCAL: TargetPolicy = { allowHttp: true, allowLoopback: true, allowPrivate: false };

describe('addressRefusal', () => {
  it.each(['8.8.8.8', '2606:4700::1'])('allows the public address %s', (address) => {
    expect(addressRefusal(address, STRICT)).toBeUndefined();
  });

  it.each([
    ['127.0.0.1', /loopback/], ['::1', /loopback/], ['::ffff:127.0.0.1', /loopback/], ['10.0.0.1', /private/], ['192.168.1.1', /private/],
    ['172.16.0.1', /private/], ['100.64.0.1', /carrierGradeNat/], ['fe80::1', /linkLocal/], ['fc00::1', /uniqueLocal/],
    ['169.254.169.254', /metadata/], ['fd00:ec2::254', /metadata/], ['0.0.0.0', /unspecified/], ['224.0.0.1', /multicast/],
    ['2002:7f00:1::', /6to4/], ['64:ff9b::7f00:1', /rfc6052/],
  ])('refuses %s', (address, reason) => {
    expect(addressRefusal(address, STRICT)).toMatch(reason);
  });

  it('lets the deployment allow loopback and private ranges, never metadata', () => {
    expect(addressRefusal('127.0.0.1', LOCAL)).toBeUndefined();
    expect(addressRefusal('10.0.0.1', LOCAL)).toMatch(/private/);
    const onPremise = { ...STRICT, allowPrivate: true };
    expect(addressRefusal('10.0.0.1', onPremise)).toBeUndefined();
    expect(addressRefusal('169.254.169.254', onPremise)).toMatch(/metadata/);
  });
});

describe('checkWebhookTarget', () => {
  it('accepts an https URL on a host name, normalised, without its fragment', () => {
    expect(checkWebhookTarget('HTTPS://Soar.Vendor.example/hooks?x=1#frag', STRICT)).toEqual({ ok: true, value: 'https://soar.vendor.example/hooks?x=1' });
  });

  it('refuses http unless allowed', () => {
    expect(checkWebhookTarget('http://soar.vendor.example/', STRICT)).toMatchObject({ ok: false, message: 'target must be an https URL' });
    expect(checkWebhookTarget('http://soar.vendor.example/', LOCAL)).toMatchObject({ ok: true });
  });

  it('refuses literal addresses in refused ranges, however they are written', () => {
    for (const target of ['https://127.0.0.1/', 'https://2130706433/', 'https://0x7f.1/', 'https://[::ffff:7f00:1]/', 'https://[::1]:8443/']) {
      expect(checkWebhookTarget(target, STRICT)).toMatchObject({ ok: false, message: expect.stringMatching(/loopback/) });
    }
  });

  it('refuses credentials and garbage', () => {
    expect(checkWebhookTarget('https://a:b@soar.vendor.example/', STRICT)).toMatchObject({ ok: false });
    expect(checkWebhookTarget('not a url', STRICT)).toMatchObject({ ok: false });
  });
});

describe('checkEmailTarget', () => {
  it('normalises an address and refuses a non-address', () => {
    expect(checkEmailTarget('SOC@Fusion-Center.org')).toEqual({ ok: true, value: 'soc@fusion-center.org' });
    expect(checkEmailTarget('soc')).toMatchObject({ ok: false });
  });
});
