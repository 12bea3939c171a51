export * from './snake-naming.strategy';
export * from './migration-schema';
export * from './service-data-source';
export * from './transaction';
export * from './batcher';
export * from './group-committer';
export * from './transaction-memo';
export * from './database-clock';
