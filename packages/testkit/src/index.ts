// The light helpers; the whole system is `@wren/testkit/system`, so that a suite that needs
// only a database does not load every service.
export * from './databases.js';
export * from './free-port.js';
export * from './grpc-errors.js';
export * from './keys.js';
export * from './metrics.js';
export * from './otlp-receiver.js';
export * from './process.js';
