export * from './claim-in-statement.js';
export * from './key.js';
export * from './run-idempotent.js';
export * from './sweeper.js';
export * from './table.js';
