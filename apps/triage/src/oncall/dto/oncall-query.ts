import { IsTimestamp, Optional } from '@watchfloor/contracts';

/** Query of `GET /v1/oncall`. */
export class OnCallQuery {
  /** Who is on call at this instant instead of now (ISO 8601 with a zone), e.g. to check a DST night. */
  @Optional()
  @IsTimestamp()
  at?: string;
}
