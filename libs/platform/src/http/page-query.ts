import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

/** Default page size of every list (API.md, "Lists"). */
export const DEFAULT_PAGE_SIZE = 50;

/** `?limit=` (1-200, default 50) and `?cursor=` of every list endpoint; list queries extend it. */
export class PageQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: DEFAULT_PAGE_SIZE })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page.' })
  @IsOptional()
  @IsString()
  @MaxLength(256)
  cursor?: string;
}

/** A `?flag=true|false` query parameter as a boolean; anything else is a 400 naming it. */
export function IsQueryBoolean(): PropertyDecorator {
  return applyDecorators(
    Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value)),
    IsIn([true, false], { message: ({ property }) => `${property} must be true or false` }),
  ) as PropertyDecorator;
}
