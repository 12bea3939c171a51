import { SecretBox, newSigningSecret, sealedKeyId, secretKeyId } from './secret-box';

const KEY_A = Buffer.alloc(32, 1).toString('base64');
const KEY_B = Buffer.alloc(32, 2).toString('base64');

describe('SecretBox', () => {
  it('opens what it sealed, and the sealed form does not contain the secret', () => {
    const box = new SecretBox(KEY_A);
    const secret = newSigningSecret();
    const sealed = box.seal(secret);
    expect(sealed).not.toContain(secret.slice(6));
    expect(box.open(sealed)).toBe(secret);
  });

  it('seals the same secret differently each time (random IV)', () => {
    const box = new SecretBox(KEY_A);
    expect(box.seal('whsec_x')).not.toBe(box.seal('whsec_x'));
  });

  it('refuses a secret sealed under another key, naming the keys', () => {
    const sealed = new SecretBox(KEY_A).seal('whsec_x');
    expect(() => new SecretBox(KEY_B).open(sealed)).toThrow(/encrypted with key/);
  });

  it('during a rotation opens values sealed under the previous key, and re-seals them under the current one', () => {
    const sealedUnderA = new SecretBox(KEY_A).seal('whsec_x');
    const rotating = new SecretBox(KEY_B, KEY_A);
    expect(rotating.open(sealedUnderA)).toBe('whsec_x');
    expect(rotating.sealedUnderPrevious(sealedUnderA)).toBe(true);
    const resealed = rotating.reseal(sealedUnderA);
    expect(sealedKeyId(resealed)).toBe(secretKeyId(KEY_B));
    expect(rotating.sealedUnderPrevious(resealed)).toBe(false);
    expect(rotating.reseal(resealed)).toBe(resealed);
    // After the rotation the previous key can go.
    expect(new SecretBox(KEY_B).open(resealed)).toBe('whsec_x');
  });

  it('names both configured keys when a value was sealed under neither', () => {
    const sealed = new SecretBox(Buffer.alloc(32, 3).toString('base64')).seal('whsec_x');
    expect(new SecretBox(KEY_B, KEY_A).opens(sealed)).toBe(false);
    expect(new SecretBox(KEY_B, KEY_A).opens(new SecretBox(KEY_A).seal('whsec_x'))).toBe(true);
    expect(() => new SecretBox(KEY_B, KEY_A).open(sealed)).toThrow(
      `neither the configured key ${secretKeyId(KEY_B)} (NOTIFICATION_SECRET_KEY) nor the previous key ${secretKeyId(KEY_A)} (NOTIFICATION_SECRET_KEY_PREVIOUS)`,
    );
  });

  it('refuses a tampered ciphertext', () => {
    const box = new SecretBox(KEY_A);
    const parts = box.seal('whsec_abcdef').split('.');
    parts[4] = Buffer.from('whsec_abcdeg').toString('base64url');
    expect(() => box.open(parts.join('.'))).toThrow();
  });

  it('makes secrets in the Standard Webhooks form', () => {
    expect(newSigningSecret()).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
  });
});
