import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { AnyEvent, NormalizedSubmission } from '@watchfloor/contracts';
import { Outbox } from '@watchfloor/messaging';
import { GroupCommitter } from '@watchfloor/persistence';
import { DataSource, type EntityManager } from 'typeorm';
import { CONFIG } from '@watchfloor/platform';
import type { IntakeEnv } from '../config';
import { incidentReceipt, type IncidentReceipt, type Submitter } from './incident.record';
import { IncidentRepository } from './incident.repository';
import { ReferenceAllocator } from './reference-allocator';
import { SubmissionQueue } from './submission-queue';

/** A submission ready to store; `event` is built once its reference is allocated. */
export interface NewSubmission {
  id: string;
  submission: NormalizedSubmission;
  submittedBy: Submitter;
  receivedAt: Date;
  idempotency?: { subject: string; key: string; requestHash: string };
  event(reference: string): AnyEvent;
}

/**
 * Intake's writes. New incidents are group-committed: concurrent submissions share one
 * transaction, one WAL flush and multi-row statements (a savepoint each only when one of
 * them fails), and a 201 is sent only after that commit. Past the submission queue's bounds
 * a new incident is refused (503) before anything is written. Every write puts its event in
 * the outbox in the same transaction; the outbox kicks the relay after the commit.
 */
@Injectable()
export class IncidentStore implements OnApplicationShutdown {
  private readonly committer: GroupCommitter<NewSubmission, IncidentReceipt>;
  private readonly references: ReferenceAllocator;
  private readonly queue: SubmissionQueue;

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(CONFIG) config: IntakeEnv,
    @Inject(IncidentRepository) private readonly incidents: IncidentRepository,
    @Inject(Outbox) private readonly outbox: Outbox,
  ) {
    this.references = new ReferenceAllocator(dataSource);
    this.queue = new SubmissionQueue({
      maxWaiting: config.INTAKE_QUEUE_LIMIT,
      maxWaitMs: config.INTAKE_QUEUE_WAIT_LIMIT_MS,
      retryAfterSeconds: config.INTAKE_OVERLOAD_RETRY_AFTER_SECONDS,
    });
    this.committer = new GroupCommitter({
      dataSource,
      work: (manager, item) => {
        this.queue.started(item);
        return this.insert(manager, item);
      },
      workAll: (manager, items) => {
        for (const item of items) this.queue.started(item);
        return this.insertAll(manager, items);
      },
      maxBatch: config.INTAKE_GROUP_COMMIT_MAX_BATCH,
      maxWaitMs: config.INTAKE_GROUP_COMMIT_MAX_WAIT_MS,
      concurrency: config.INTAKE_GROUP_COMMIT_CONCURRENCY,
    });
  }

  /** For reads outside a transaction. */
  get manager(): EntityManager {
    return this.dataSource.manager;
  }

  /**
   * Stores a new incident and its event; resolves after the commit. Throws
   * `ServiceOverloadedError` at once, having written nothing, when the queue is past its bounds.
   */
  async create(item: NewSubmission): Promise<IncidentReceipt> {
    this.queue.admit(item);
    try {
      await this.references.prepare(item.receivedAt.getUTCFullYear());
      return await this.committer.submit(item);
    } finally {
      this.queue.started(item);
    }
  }

  /** Runs `work` in a transaction in which it may `emit` events (published once it commits). */
  async transaction<T>(work: (manager: EntityManager, emit: (event: AnyEvent) => Promise<void>) => Promise<T>): Promise<T> {
    return this.dataSource.transaction((manager) => work(manager, (event) => this.outbox.add(manager, event)));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.committer.drain();
  }

  /**
   * A batch on the group commit's optimistic path: three statements for the lot (references,
   * incidents, outbox). If one row fails (a repeated Idempotency-Key, say), the batch runs
   * again item by item, each in its savepoint; the references drawn here become gaps.
   */
  private async insertAll(manager: EntityManager, items: readonly NewSubmission[]): Promise<IncidentReceipt[]> {
    const years = [...new Set(items.map((item) => item.receivedAt.getUTCFullYear()))];
    const references = new Map<NewSubmission, string>();
    for (const year of years) {
      const ofYear = items.filter((item) => item.receivedAt.getUTCFullYear() === year);
      const drawn = await this.references.nextMany(manager, year, ofYear.length);
      ofYear.forEach((item, index) => references.set(item, drawn[index] as string));
    }
    const referenceOf = (item: NewSubmission) => references.get(item) as string;
    await this.incidents.insertAll(manager, items.map((item) => ({ ...item, reference: referenceOf(item) })));
    await this.outbox.addAll(manager, items.map((item) => item.event(referenceOf(item))));
    return items.map((item) => incidentReceipt({ ...item, reference: referenceOf(item), exercise: item.submission.exercise }));
  }

  private async insert(manager: EntityManager, item: NewSubmission): Promise<IncidentReceipt> {
    const reference = await this.references.next(manager, item.receivedAt.getUTCFullYear());
    await this.incidents.insert(manager, { ...item, reference });
    await this.outbox.add(manager, item.event(reference));
    return incidentReceipt({ ...item, reference, exercise: item.submission.exercise });
  }
}
