import { createDatabase, createMetricsRegistry, type Database, type Logger } from '@wren/platform';
import type { Registry } from 'prom-client';
import type { UserServiceConfig } from './config.js';
import type { UserDatabase } from './db/schema.js';
import { createTokenIssuer, type TokenIssuer } from './domain/token-issuer.js';

/** Everything the RPC handlers need, built once and passed in explicitly. */
export interface UserServiceContext {
  config: UserServiceConfig;
  logger: Logger;
  database: Database<UserDatabase>;
  tokens: TokenIssuer;
  /** This service's metrics, served on the admin port. */
  registry: Registry;
}

export async function createUserServiceContext(config: UserServiceConfig, logger: Logger): Promise<UserServiceContext> {
  const tokens = await createTokenIssuer(config.tokens);
  const registry = createMetricsRegistry('user-service');
  const database = createDatabase<UserDatabase>({
    url: config.databaseUrl,
    max: config.databasePoolMax,
    applicationName: 'user-service',
    logger,
    registry,
  });
  return { config, logger, database, tokens, registry };
}
