import { Body, Controller, Get, Injectable, Module, type OnModuleInit, Param, Post } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsArray, IsIn, IsString, MaxLength, ValidateNested } from 'class-validator';
import {
  type Caller,
  CorrelationId,
  CurrentCaller,
  NotFoundError,
  ReadinessRegistry,
  Roles,
} from '../src';

class ObservableDto {
  @IsIn(['ipv4', 'domain'])
  type: string;

  @IsString() @MaxLength(50)
  value: string;
}

class SubmitDto {
  @IsString() @MaxLength(100)
  title: string;

  @IsArray() @ValidateNested({ each: true }) @Type(() => ObservableDto)
  observables: ObservableDto[];
}

/** Switch the fake dependency behind the `db` readiness check. */
export const fakeDatabase = { up: true };

@Controller('v1/things')
class ThingsController {
  @Post()
  @Roles('official', 'automation')
  submit(@Body() body: SubmitDto, @CurrentCaller() caller: Caller, @CorrelationId() correlationId: string) {
    return { title: body.title, count: body.observables.length, sub: caller.sub, correlationId };
  }

  @Get(':id')
  get(@Param('id') id: string) {
    if (id === 'missing') throw new NotFoundError('THING.NOT_FOUND', 'No such thing.');
    if (id === 'boom') throw new Error('secret internals at /srv/app.ts:42');
    return { id };
  }
}

@Injectable()
class FakeDatabaseCheck implements OnModuleInit {
  constructor(private readonly readiness: ReadinessRegistry) {}

  onModuleInit(): void {
    this.readiness.register('db', () => {
      if (!fakeDatabase.up) throw new Error('connection refused');
    });
  }
}

/** A tiny service used to exercise the platform end to end. */
@Module({ controllers: [ThingsController], providers: [FakeDatabaseCheck] })
export class TestAppModule {}
