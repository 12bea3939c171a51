import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Correlation } from '../correlation/correlator';
import { Scorer } from '../scoring/scorer';
import { ApplyScore } from './apply-score';

/**
 * When a cluster is (or becomes) a campaign, every member not yet raised for it is scored
 * again with the campaign adjustment (DOMAIN.md: raised one level, in the open).
 */
@Injectable()
export class CampaignRaise {
  constructor(
    @Inject(Scorer) private readonly scorer: Scorer,
    @Inject(ApplyScore) private readonly applyScore: ApplyScore,
  ) {}

  async execute(manager: EntityManager, correlation: Correlation, context: { except?: string; correlationId: string; at: Date }): Promise<void> {
    if (!correlation.campaign) return;
    for (const member of correlation.toRaise) {
      if (member.id === context.except) continue;
      const scored = this.scorer.score(member.submission, { receivedAt: member.receivedAt, campaign: true });
      await this.applyScore.execute(manager, member, scored, { cause: 'campaign', correlationId: context.correlationId, at: context.at });
    }
  }
}
