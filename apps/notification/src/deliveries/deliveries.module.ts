import { Module } from '@nestjs/common';
import { DeliveriesController } from './deliveries.controller';
import { Deliveries } from './deliveries.usecase';
import { DeliveryRepository } from './delivery.repository';
import { Sender } from './sender';

/** The ledger, the sender that works it, and the delivery log API. */
@Module({
  controllers: [DeliveriesController],
  providers: [DeliveryRepository, Deliveries, Sender],
  exports: [DeliveryRepository],
})
export class DeliveriesModule {}
