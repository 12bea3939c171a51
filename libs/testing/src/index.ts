export * from './eventually';
export * from './ports';
export * from './postgres';
export * from './nats';
export * from './factories';
export * from './child-service';
export * from './api-client';
export * from './nats-cluster';
