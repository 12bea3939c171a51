import { ArrayMaxSize, ArrayUnique, IsArray, IsIn } from 'class-validator';
import { INCIDENT_CATEGORIES, IsOcdId, Optional, PRIORITY_LEVELS, type IncidentCategory, type PriorityLevel } from '@watchfloor/contracts';

/** Which events of the chosen types a subscription receives; every given criterion must match. */
export class SubscriptionFilterBody {
  /** Only incidents whose priority is known and at least this. */
  @Optional()
  @IsIn(PRIORITY_LEVELS)
  minPriority?: PriorityLevel;

  /** OCD-ID prefixes: the incident's jurisdiction must be one of them or inside one. */
  @Optional()
  @IsArray()
  @ArrayMaxSize(100)
  @ArrayUnique()
  @IsOcdId({ each: true })
  jurisdictions?: string[];

  @Optional()
  @IsArray()
  @ArrayMaxSize(INCIDENT_CATEGORIES.length)
  @ArrayUnique()
  @IsIn(INCIDENT_CATEGORIES, { each: true })
  categories?: IncidentCategory[];
}
