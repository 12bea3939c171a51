import { Global, Module } from '@nestjs/common';
import { CONFIG } from '@watchfloor/platform';
import { DataSource } from 'typeorm';
import type { NotificationEnv } from './config';
import { CommitHooks } from './commit-hooks';
import { SecretBox } from './subscriptions/secret-box';
import type { TargetPolicy } from './targets/target-policy';
import { Transactions } from './transactions';
import { SenderWakeup } from './wakeup';

/** Injection token of the {@link TargetPolicy} built from the config. */
export const TARGET_POLICY = Symbol('notification.target-policy');

/** What the features of notification share: the secret box, the SSRF policy, transactions, commit hooks, the sender's wake-up. */
@Global()
@Module({
  providers: [
    Transactions,
    SenderWakeup,
    { provide: SecretBox, inject: [CONFIG], useFactory: (config: NotificationEnv) => new SecretBox(config.NOTIFICATION_SECRET_KEY, config.NOTIFICATION_SECRET_KEY_PREVIOUS) },
    {
      provide: TARGET_POLICY,
      inject: [CONFIG],
      useFactory: (config: NotificationEnv): TargetPolicy => ({
        allowHttp: config.NOTIFICATION_ALLOW_HTTP,
        allowLoopback: config.NOTIFICATION_ALLOW_LOOPBACK,
        allowPrivate: config.NOTIFICATION_ALLOW_PRIVATE,
      }),
    },
    { provide: CommitHooks, inject: [DataSource], useFactory: (dataSource: DataSource) => CommitHooks.on(dataSource) },
  ],
  exports: [Transactions, SenderWakeup, SecretBox, TARGET_POLICY, CommitHooks],
})
export class SharedModule {}
