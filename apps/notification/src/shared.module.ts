import { type DynamicModule, Global, Module } from '@nestjs/common';
import { CONFIG } from '@watchfloor/platform';
import { DataSource } from 'typeorm';
import type { NotificationEnv } from './config';
import { CommitHooks } from './commit-hooks';
import { SecretBox } from './subscriptions/secret-box';
import { type ResolveHost, systemResolver, type TargetPolicy } from './targets/target-policy';
import { Transactions } from './transactions';
import { SenderWakeup } from './wakeup';

/** Injection token of the {@link TargetPolicy} built from the config. */
export const TARGET_POLICY = Symbol('notification.target-policy');
/** Injection token of the {@link ResolveHost} webhooks resolve their targets with. */
export const HOST_RESOLVER = Symbol('notification.host-resolver');

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
export class SharedModule {
  /** The module with the host resolver webhooks use (the system's unless a test gives one). */
  static forRoot(options: { resolveHost?: ResolveHost } = {}): DynamicModule {
    const resolver = { provide: HOST_RESOLVER, useValue: options.resolveHost ?? systemResolver };
    return { module: SharedModule, providers: [resolver], exports: [HOST_RESOLVER] };
  }
}
