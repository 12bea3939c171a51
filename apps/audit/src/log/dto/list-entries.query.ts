import { ApiPropertyOptional } from '@nestjs/swagger';
import { EVENT_TYPES, IsTimestamp, type EventType } from '@watchfloor/contracts';
import { PageQuery } from '@watchfloor/platform';
import { IsIn, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';

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
