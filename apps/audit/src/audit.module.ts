import { Module } from '@nestjs/common';
import { CONFIG } from '@watchfloor/platform';
import { ChainAppender } from './chain/chain-appender';
import { SIGNING_KEY } from './checkpoints/checkpoint.tokens';
import { Checkpointer } from './checkpoints/checkpointer';
import { loadSigningKey } from './checkpoints/signing-key';
import type { AuditEnv } from './config';
import { AuditLogRepository } from './log/audit-log.repository';
import { AuditController } from './log/audit.controller';
import { ExportLog } from './log/export-log.usecase';
import { ReadCheckpoints } from './log/read-checkpoints.usecase';
import { ReadLog } from './log/read-log.usecase';
import { VerifyChain } from './log/verify-chain.usecase';
import { Recording } from './recording/recording.service';

/** The chain (recording, checkpoints) and what auditors read of it. */
@Module({
  controllers: [AuditController],
  providers: [
    { provide: SIGNING_KEY, useFactory: (config: AuditEnv) => loadSigningKey(config), inject: [CONFIG] },
    Checkpointer,
    ChainAppender,
    Recording,
    AuditLogRepository,
    ReadLog,
    VerifyChain,
    ReadCheckpoints,
    ExportLog,
  ],
  exports: [ChainAppender, Checkpointer],
})
export class AuditModule {}
