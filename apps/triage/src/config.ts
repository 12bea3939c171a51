import type { PriorityLevel } from '@watchfloor/contracts';
import { BaseEnv, EnvInt } from '@watchfloor/platform';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, ArrayNotEmpty, IsInt, IsOptional, IsString, Max, Min, MinLength } from 'class-validator';

/** Parses `"1000,5000"` into `[1000, 5000]`; anything unparsable is left for the validator to name. */
function EnvIntList(): PropertyDecorator {
  return Transform(({ value }: { value: unknown }) => {
    if (typeof value !== 'string') return value;
    const items = value.split(',').map((item) => item.trim()).filter((item) => item.length > 0);
    return items.every((item) => /^\d+$/.test(item)) ? items.map(Number) : value;
  });
}

/** Triage's environment: the common variables plus deadlines, correlation and the election calendar. */
export class TriageEnv extends BaseEnv {
  override PORT = 3002;

  /**
   * Acknowledgement deadlines by level, in seconds (DOMAIN.md defaults); 0 means none.
   * The one source of deadlines for triage and escalation: read them with {@link ackDeadlineSeconds}.
   */
  @EnvInt() @IsInt() @Min(0)
  TRIAGE_ACK_DEADLINE_EMERGENCY_SECONDS = 5 * 60;

  @EnvInt() @IsInt() @Min(0)
  TRIAGE_ACK_DEADLINE_SEVERE_SECONDS = 10 * 60;

  @EnvInt() @IsInt() @Min(0)
  TRIAGE_ACK_DEADLINE_HIGH_SECONDS = 15 * 60;

  @EnvInt() @IsInt() @Min(0)
  TRIAGE_ACK_DEADLINE_MEDIUM_SECONDS = 60 * 60;

  @EnvInt() @IsInt() @Min(0)
  TRIAGE_ACK_DEADLINE_LOW_SECONDS = 4 * 60 * 60;

  @EnvInt() @IsInt() @Min(0)
  TRIAGE_ACK_DEADLINE_BASELINE_SECONDS = 0;

  /** Two incidents sharing an observable are related when reported at most this far apart. */
  @EnvInt() @IsInt() @Min(1)
  TRIAGE_CORRELATION_WINDOW_SECONDS = 7 * 24 * 60 * 60;

  /** Distinct jurisdictions that make a cluster a campaign. */
  @EnvInt() @IsInt() @Min(2) @Max(100)
  TRIAGE_CAMPAIGN_MIN_JURISDICTIONS = 3;

  /** A scoring model as JSON (the shape of scoring/models/nciss-notional-1.json); without it, nciss-notional-1. */
  @IsOptional() @IsString() @MinLength(1)
  TRIAGE_SCORING_MODEL_FILE?: string;

  /** A JSON election calendar (docs/triage.md); without it, the built-in 2028 general election. */
  @IsOptional() @IsString() @MinLength(1)
  TRIAGE_ELECTION_CALENDAR_FILE?: string;

  /** Deliveries of an incoming event before it is dead-lettered. */
  @EnvInt() @IsInt() @Min(2) @Max(100)
  TRIAGE_CONSUMER_MAX_DELIVER = 5;

  /** Waits before each redelivery (EVENTS.md: 1 s, 5 s, 30 s, 2 min); tests use a few ms. */
  @EnvIntList() @ArrayNotEmpty() @ArrayMaxSize(20) @IsInt({ each: true }) @Min(1, { each: true })
  TRIAGE_CONSUMER_BACKOFF_MS: number[] = [1_000, 5_000, 30_000, 120_000];

  /** Postgres connections. */
  @EnvInt() @IsInt() @Min(2) @Max(200)
  TRIAGE_DB_POOL_SIZE = 10;

  /** How often escalation looks for missed acknowledgement deadlines (tests: ~100 ms). */
  @EnvInt() @IsInt() @Min(10) @Max(60_000)
  TRIAGE_ESCALATION_POLL_MS = 1_000;

  /** Most escalations one look fires before it yields to the next tick. */
  @EnvInt() @IsInt() @Min(1) @Max(10_000)
  TRIAGE_ESCALATION_BATCH = 200;

  /** Highest escalation level (contract maximum 100); an incident still unacknowledged then stops escalating. */
  @EnvInt() @IsInt() @Min(1) @Max(100)
  TRIAGE_ESCALATION_MAX_LEVEL = 100;
}

/** Seconds allowed to acknowledge an incident of `level`, or undefined when it has no deadline. */
export function ackDeadlineSeconds(config: TriageEnv, level: PriorityLevel): number | undefined {
  const seconds = {
    emergency: config.TRIAGE_ACK_DEADLINE_EMERGENCY_SECONDS,
    severe: config.TRIAGE_ACK_DEADLINE_SEVERE_SECONDS,
    high: config.TRIAGE_ACK_DEADLINE_HIGH_SECONDS,
    medium: config.TRIAGE_ACK_DEADLINE_MEDIUM_SECONDS,
    low: config.TRIAGE_ACK_DEADLINE_LOW_SECONDS,
    baseline: config.TRIAGE_ACK_DEADLINE_BASELINE_SECONDS,
  }[level];
  return seconds > 0 ? seconds : undefined;
}

/** When an incident of `level` triaged (or raised) at `from` must be acknowledged; undefined for none. */
export function ackDeadlineFrom(config: TriageEnv, level: PriorityLevel, from: Date): Date | undefined {
  const seconds = ackDeadlineSeconds(config, level);
  return seconds === undefined ? undefined : new Date(from.getTime() + seconds * 1000);
}
