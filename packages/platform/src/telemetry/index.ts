export * from './admin-server.js';
export * from './db-instrumentation.js';
export * from './grpc-metrics.js';
export * from './metrics-registry.js';
export * from './read-at-most-every.js';
export * from './trace-context.js';
export * from './tracing.js';
