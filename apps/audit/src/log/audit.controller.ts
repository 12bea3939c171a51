import { Controller, Get, Inject, Param, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { type Caller, CurrentCaller, Roles } from '@watchfloor/platform';
import type { FastifyReply } from 'fastify';
import { PageQuery } from '@watchfloor/platform';
import { ExportQuery, ListEntriesQuery } from './dto/list-entries.query';
import { ExportLog } from './export-log.usecase';
import { ReadCheckpoints } from './read-checkpoints.usecase';
import { ReadLog } from './read-log.usecase';
import { VerifyChain } from './verify-chain.usecase';

@ApiTags('audit')
@ApiBearerAuth('bearer')
@Controller('v1/audit')
export class AuditController {
  constructor(
    @Inject(ReadLog) private readonly readLog: ReadLog,
    @Inject(VerifyChain) private readonly verifyChain: VerifyChain,
    @Inject(ReadCheckpoints) private readonly readCheckpoints: ReadCheckpoints,
    @Inject(ExportLog) private readonly exportLog: ExportLog,
  ) {}

  @Get('entries')
  @Roles('auditor')
  @ApiOperation({ summary: 'The log, by sequence', description: 'Events above your TLP clearance are withheld (`event: null`); their hashes remain.' })
  entries(@CurrentCaller() caller: Caller, @Query() query: ListEntriesQuery) {
    return this.readLog.entries(caller, query);
  }

  @Get('incidents/:id/timeline')
  @Roles('auditor', 'triage')
  @ApiOperation({ summary: 'Every event of one incident, in chain order' })
  timeline(@CurrentCaller() caller: Caller, @Param('id') id: string, @Query() query: PageQuery) {
    return this.readLog.timeline(caller, id, query);
  }

  @Get('verify')
  @Roles('auditor')
  @ApiOperation({ summary: 'Recompute the hash chain and check the signed checkpoints', description: '`{ valid, entries, head, firstInvalidSequence?, reason? }`' })
  verify() {
    return this.verifyChain.execute();
  }

  @Get('checkpoints')
  @Roles('auditor')
  @ApiOperation({ summary: 'Signed checkpoints, newest first, and the public key that checks them' })
  checkpoints(@Query() query: PageQuery) {
    return this.readCheckpoints.list(query);
  }

  @Get('public-key')
  @Roles('auditor')
  @ApiOperation({ summary: 'The Ed25519 public key of the checkpoints', description: 'The current key, and under `retired` the keys of checkpoints signed before a rotation.' })
  publicKey() {
    return this.readCheckpoints.publicKey();
  }

  @Get('export')
  @Roles('auditor')
  @ApiOperation({ summary: 'Streamed export with every entry\'s hash', description: 'JSONL (with checkpoints; `npm run audit:verify` checks it) or CSV.' })
  @ApiProduces('application/x-ndjson', 'text/csv')
  async export(@CurrentCaller() caller: Caller, @Query() query: ExportQuery, @Res() reply: FastifyReply): Promise<void> {
    const format = query.format ?? 'jsonl';
    const body = await this.exportLog.execute(caller, format);
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    await reply
      .header('content-type', format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8')
      .header('content-disposition', `attachment; filename="watchfloor-audit-${stamp}.${format}"`)
      .send(body);
  }
}
