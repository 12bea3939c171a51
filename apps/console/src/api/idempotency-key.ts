/** A fresh `Idempotency-Key` per report or addition, so a double submit or a retry after a timeout files it once. */
export const newIdempotencyKey = () => (globalThis.crypto?.randomUUID ? globalThis.crypto.randomUUID() : `${Date.now()}-${Math.random().toString(36).slice(2)}`);
