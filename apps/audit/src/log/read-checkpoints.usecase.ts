import { Inject, Injectable } from '@nestjs/common';
import { SIGNING_KEY } from '../checkpoints/checkpoint.tokens';
import type { SigningKey } from '../checkpoints/signing-key';
import { AuditLogRepository } from './audit-log.repository';
import type { PageQuery } from '@watchfloor/platform';
import { decodeCursor, encodeCursor } from './sequence-cursor';

/** `GET /v1/audit/checkpoints` (newest first) and the public keys that check them (current and retired). */
@Injectable()
export class ReadCheckpoints {
  constructor(
    @Inject(AuditLogRepository) private readonly log: AuditLogRepository,
    @Inject(SIGNING_KEY) private readonly key: SigningKey,
  ) {}

  publicKey() {
    return {
      algorithm: 'Ed25519' as const,
      keyId: this.key.keyId,
      /** The 32 raw bytes, base64: `npm run audit:verify -- export.jsonl --public-key <this>`. */
      base64: this.key.publicKeyBase64,
      pem: this.key.publicKeyPem,
      signs: 'UTF-8 of "<sequence>.<hash>"',
      /** Earlier keys (`AUDIT_RETIRED_PUBLIC_KEYS`): they sign nothing new; older checkpoints name them by key id. */
      retired: this.key.retired.map((key) => ({ algorithm: 'Ed25519' as const, keyId: key.keyId, base64: key.publicKeyBase64, pem: key.publicKeyPem })),
    };
  }

  async list(query: PageQuery) {
    const limit = query.limit ?? 50;
    const checkpoints = await this.log.latestCheckpoints(limit + 1, query.cursor !== undefined ? decodeCursor(query.cursor) : undefined);
    const items = checkpoints.slice(0, limit);
    const last = items[items.length - 1];
    return { publicKey: this.publicKey(), items, nextCursor: checkpoints.length > limit && last ? encodeCursor(last.sequence) : null };
  }
}
