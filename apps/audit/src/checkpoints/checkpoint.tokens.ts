/** Injection token of the checkpoint {@link SigningKey}. */
export const SIGNING_KEY = Symbol('audit.signing-key');
