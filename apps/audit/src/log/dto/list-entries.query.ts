import { ApiPropertyOptional } from '@nestjs/swagger';
import { EVENT_TYPES, IsTimestamp, type EventType } from '@watchfloor/contracts';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';

/** Paging of every audit list: `?limit=` (1-200, default 50) and `?cursor=`. */
export class PageQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page.' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  cursor?: string;
}

/** Query of `GET /v1/audit/entries`. */
export class ListEntriesQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'Entries concerning this incident (its own events and clusters that include it).' })
  @IsOptional()
  @IsUUID()
  incidentId?: string;

  @ApiPropertyOptional({ enum: EVENT_TYPES })
  @IsOptional()
  @IsIn(EVENT_TYPES)
  type?: EventType;

  @ApiPropertyOptional({ description: 'A person\'s `sub`, or `system:<rule or service>`.' })
  @IsOptional()
  @IsString()
  @MaxLength(300)
  actor?: string;

  @ApiPropertyOptional({ description: 'Events that occurred at or after this time (ISO 8601).' })
  @IsOptional()
  @IsTimestamp()
  since?: string;

  @ApiPropertyOptional({ description: 'Events that occurred before this time (ISO 8601).' })
  @IsOptional()
  @IsTimestamp()
  until?: string;
}

/** Formats of `GET /v1/audit/export`. */
export const EXPORT_FORMATS = ['jsonl', 'csv'] as const;

/** Query of `GET /v1/audit/export`. */
export class ExportQuery {
  @ApiPropertyOptional({ enum: EXPORT_FORMATS, default: 'jsonl' })
  @IsOptional()
  @IsIn(EXPORT_FORMATS)
  format?: (typeof EXPORT_FORMATS)[number];
}
