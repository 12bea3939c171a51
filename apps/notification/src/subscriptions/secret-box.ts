import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

const VERSION = 'v1';

/** A sealed secret's parts: `v1.<key id>.<iv>.<tag>.<ciphertext>`. */
interface SealedParts {
  keyId: string;
  iv: string;
  tag: string;
  ciphertext: string;
}

function partsOf(sealed: string): SealedParts {
  const [version, keyId, iv, tag, ciphertext] = sealed.split('.');
  if (version !== VERSION || !keyId || !iv || !tag || ciphertext === undefined) throw new Error('sealed secret has an unknown format');
  return { keyId, iv, tag, ciphertext };
}

/** The fingerprint that names a key in sealed values: 8 base64url characters of its SHA-256. */
export function secretKeyId(base64Key: string): string {
  return createHash('sha256').update(Buffer.from(base64Key, 'base64')).digest('base64url').slice(0, 8);
}

/** The key id a sealed value names (what `split_part(secret, '.', 2)` finds in SQL). */
export function sealedKeyId(sealed: string): string {
  return partsOf(sealed).keyId;
}

/**
 * Encrypts signing secrets at rest with AES-256-GCM under the configured key. The stored
 * form `v1.<key id>.<iv>.<tag>.<ciphertext>` names the key by a fingerprint: during a
 * rotation a value opens with whichever of the current and the previous key sealed it, and
 * a value under neither is reported as such instead of as a corrupt secret.
 */
export class SecretBox {
  private readonly keys = new Map<string, Buffer>();
  private readonly currentKey: Buffer;
  /** Id of the key that seals. */
  readonly keyId: string;
  /** Id of the key being rotated out (`NOTIFICATION_SECRET_KEY_PREVIOUS`), if any. */
  readonly previousKeyId: string | undefined;

  constructor(base64Key: string, previousBase64Key?: string) {
    this.keyId = this.add(base64Key);
    this.currentKey = Buffer.from(base64Key, 'base64');
    const previous = previousBase64Key === undefined ? undefined : this.add(previousBase64Key);
    // The same key given twice is no rotation.
    this.previousKeyId = previous === this.keyId ? undefined : previous;
  }

  private add(base64Key: string): string {
    const key = Buffer.from(base64Key, 'base64');
    if (key.length !== 32) throw new Error('the secret key must be 32 bytes');
    const id = secretKeyId(base64Key);
    this.keys.set(id, key);
    return id;
  }

  seal(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.currentKey, iv);
    const ciphertext = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return [VERSION, this.keyId, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), ciphertext.toString('base64url')].join('.');
  }

  open(sealed: string): string {
    const { keyId, iv, tag, ciphertext } = partsOf(sealed);
    const key = this.keys.get(keyId);
    if (!key) {
      throw new Error(
        `sealed secret was encrypted with key ${keyId}, neither the configured key ${this.keyId} (NOTIFICATION_SECRET_KEY)` +
          ` nor ${this.previousKeyId === undefined ? 'a previous key (NOTIFICATION_SECRET_KEY_PREVIOUS is not set)' : `the previous key ${this.previousKeyId} (NOTIFICATION_SECRET_KEY_PREVIOUS)`}`,
      );
    }
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
  }

  /** True when `sealed` opens with one of the configured keys. */
  opens(sealed: string): boolean {
    try {
      this.open(sealed);
      return true;
    } catch {
      return false;
    }
  }

  /** True when `sealed` was sealed under the previous key, so a re-seal would move it to the current one. */
  sealedUnderPrevious(sealed: string): boolean {
    return this.previousKeyId !== undefined && sealedKeyId(sealed) === this.previousKeyId;
  }

  /** `sealed` sealed again under the current key; unchanged when it already is. */
  reseal(sealed: string): string {
    return sealedKeyId(sealed) === this.keyId ? sealed : this.seal(this.open(sealed));
  }
}

/** A new Standard Webhooks signing secret: `whsec_` + 32 random bytes in base64. */
export function newSigningSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}
