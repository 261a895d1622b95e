export * from './consumer.js';
export * from './publish.js';
export * from './relay.js';
export * from './schema.js';
export * from './service-relay.js';
export * from './subscribers.js';
