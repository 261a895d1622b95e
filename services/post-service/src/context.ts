import { ProfileServiceDefinition } from '@wren/contracts/user/v1/profile_service.js';
import {
  type ClientPool,
  createClientPool,
  createDatabase,
  createMetricsRegistry,
  type Database,
  type Logger,
} from '@wren/platform';
import type { Client } from 'nice-grpc';
import type { Registry } from 'prom-client';
import type { PostServiceConfig } from './config.js';
import type { PostDatabase } from './db/schema.js';

/** Everything the RPC handlers need, built once and passed in explicitly. */
export interface PostServiceContext {
  config: PostServiceConfig;
  logger: Logger;
  database: Database<PostDatabase>;
  clients: ClientPool;
  /** Only the write path uses it, to learn a user the replica does not know yet. */
  profiles: Client<typeof ProfileServiceDefinition>;
  /** This service's metrics, served on the admin port. */
  registry: Registry;
}

export function createPostServiceContext(config: PostServiceConfig, logger: Logger): PostServiceContext {
  const registry = createMetricsRegistry('post-service');
  const clients = createClientPool({ defaultDeadlineMs: config.grpcDeadlineMs, registry });
  const database = createDatabase<PostDatabase>({
    url: config.databaseUrl,
    max: config.databasePoolMax,
    applicationName: 'post-service',
    logger,
    registry,
  });
  return {
    config,
    logger,
    database,
    clients,
    registry,
    profiles: clients.client(ProfileServiceDefinition, config.userServiceAddr),
  };
}
