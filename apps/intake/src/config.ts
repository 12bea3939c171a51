import { BaseEnv, EnvInt } from '@watchfloor/platform';
import { IsInt, Max, Min } from 'class-validator';

/** Intake's environment: the common variables plus group commit, pools and load shedding. */
export class IntakeEnv extends BaseEnv {
  override PORT = 3001;

  /** Most submissions committed in one transaction. */
  @EnvInt() @IsInt() @Min(1) @Max(1000)
  INTAKE_GROUP_COMMIT_MAX_BATCH = 64;

  /** Longest a submission waits for others to share its commit. */
  @EnvInt() @IsInt() @Min(0) @Max(100)
  INTAKE_GROUP_COMMIT_MAX_WAIT_MS = 2;

  /** Group transactions in flight at once. */
  @EnvInt() @IsInt() @Min(1) @Max(64)
  INTAKE_GROUP_COMMIT_CONCURRENCY = 4;

  /** Postgres connections of the request path (submissions, reads, updates). */
  @EnvInt() @IsInt() @Min(2) @Max(200)
  INTAKE_DB_POOL_SIZE = 8;

  /** Postgres connections of the consumers of triage's events and the outbox relay, apart from the request path's. */
  @EnvInt() @IsInt() @Min(1) @Max(200)
  INTAKE_MESSAGING_DB_POOL_SIZE = 4;

  /** Submissions waiting to be written at most; past it a submission is answered 503. */
  @EnvInt() @IsInt() @Min(1) @Max(1_000_000)
  INTAKE_QUEUE_LIMIT = 2048;

  /** Once the oldest waiting submission has waited this long, new ones are answered 503. */
  @EnvInt() @IsInt() @Min(1) @Max(600_000)
  INTAKE_QUEUE_WAIT_LIMIT_MS = 5000;

  /** `Retry-After` of those 503s. */
  @EnvInt() @IsInt() @Min(1) @Max(3600)
  INTAKE_OVERLOAD_RETRY_AFTER_SECONDS = 2;
}
