import { BaseEnv, EnvInt } from '@watchfloor/platform';
import { IsInt, Max, Min } from 'class-validator';

/** Intake's environment: the common variables plus group-commit tuning. */
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

  /** Postgres connections. */
  @EnvInt() @IsInt() @Min(2) @Max(200)
  INTAKE_DB_POOL_SIZE = 12;
}
