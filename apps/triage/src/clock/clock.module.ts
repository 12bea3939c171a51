import { Global, Inject, Module, type OnModuleDestroy } from '@nestjs/common';
import { Clock, DatabaseClock } from '@watchfloor/persistence';
import { DataSource } from 'typeorm';

/**
 * Triage's time: Postgres's clock, not the process's (docs/triage-oncall.md, "Whose clock").
 * Deadlines, escalations, acknowledgements and event times all read {@link Clock}, so two
 * replicas whose wall clocks disagree still agree with each other and with the record.
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
