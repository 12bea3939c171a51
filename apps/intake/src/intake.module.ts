import { type DynamicModule, Inject, Module, type OnModuleInit } from '@nestjs/common';
import { Messaging, MessagingModule } from '@watchfloor/messaging';
import { ReadinessRegistry } from '@watchfloor/platform';
import type { DataSource } from 'typeorm';
import { IncidentsModule } from './incidents/incidents.module';
import { INTAKE_DATA_SOURCE } from './intake.tokens';

/** Intake's root module, around a data source and messaging made before Nest (see intake-app.ts). */
@Module({})
export class IntakeModule implements OnModuleInit {
  constructor(
    @Inject(ReadinessRegistry) private readonly readiness: ReadinessRegistry,
    @Inject(INTAKE_DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(Messaging) private readonly messaging: Messaging,
  ) {}

  static with(dataSource: DataSource, messaging: Messaging): DynamicModule {
    return {
      module: IntakeModule,
      global: true,
      imports: [MessagingModule.forRoot(messaging), IncidentsModule],
      providers: [{ provide: INTAKE_DATA_SOURCE, useValue: dataSource }],
      exports: [INTAKE_DATA_SOURCE],
    };
  }

  onModuleInit(): void {
    this.readiness.register('database', () => this.dataSource.query('SELECT 1'));
    this.readiness.register('nats', () => this.messaging.checkReady());
  }
}
