import { Global, Inject, Module, type OnModuleDestroy } from '@nestjs/common';
import { Clock, DatabaseClock } from '@watchfloor/persistence';
import { DataSource } from 'typeorm';

/**
 * A service's time: Postgres's clock, not the process's (docs/triage-oncall.md, "Whose
 * clock"). What a service decides by time (triage's deadlines and escalations, notification's
 * subscriptions and signatures) reads {@link Clock}, so two replicas whose wall clocks
 * disagree still agree with each other and with the record.
 */
@Global()
@Module({
  providers: [{ provide: Clock, useFactory: (dataSource: DataSource) => DatabaseClock.start(dataSource), inject: [DataSource] }],
  exports: [Clock],
})
export class ClockModule implements OnModuleDestroy {
  constructor(@Inject(Clock) private readonly clock: Clock) {}

  onModuleDestroy(): void {
    if (this.clock instanceof DatabaseClock) this.clock.stop();
  }
}
