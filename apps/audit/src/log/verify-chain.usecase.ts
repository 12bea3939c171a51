import { Inject, Injectable } from '@nestjs/common';
import { ChainVerifier, type ChainReport } from '../chain/chain-verifier';
import { SIGNING_KEY } from '../checkpoints/checkpoint.tokens';
import { verificationKeys, type SigningKey } from '../checkpoints/signing-key';
import { AuditLogRepository } from './audit-log.repository';

/** The answer of `GET /v1/audit/verify`. */
export interface VerifyResult extends ChainReport {
  verifiedAt: string;
  durationMs: number;
}

/**
 * Recomputes the whole chain from the database: every entry's event digest and hash, the
 * links between them, every stored checkpoint's hash and signature (with the key its
 * key id names: the current one or a retired one), and the head. It
 * reads the head first and walks up to it, so appends during the walk are not mistaken
 * for tampering.
 */
@Injectable()
export class VerifyChain {
  constructor(
    @Inject(AuditLogRepository) private readonly log: AuditLogRepository,
    @Inject(SIGNING_KEY) private readonly key: SigningKey,
  ) {}

  async execute(): Promise<VerifyResult> {
    const started = Date.now();
    // Checkpoints beyond the head are kept: they reveal entries removed from the end.
    const { head, checkpointsBeyondHead } = await this.log.snapshot();
    const verifier = new ChainVerifier({ checkpoints: checkpointsBeyondHead, publicKeys: verificationKeys(this.key) });
    for await (const { entries, checkpoints } of this.log.pages(head.sequence)) {
      // Ahead of the page's entries, which each match the checkpoints signing them.
      for (const checkpoint of checkpoints) verifier.addCheckpoint(checkpoint);
      for (const entry of entries) verifier.add(entry);
    }
    let report = verifier.finish();
    if (report.valid && (report.head.sequence !== head.sequence || report.head.hash !== head.hash)) {
      const at = Math.min(report.head.sequence, head.sequence) + 1;
      report = { ...report, valid: false, firstInvalidSequence: at, reason: `the chain ends at ${report.head.sequence} but its head says ${head.sequence} (entries removed or rewritten at the end)` };
    }
    return { ...report, verifiedAt: new Date().toISOString(), durationMs: Date.now() - started };
  }
}
