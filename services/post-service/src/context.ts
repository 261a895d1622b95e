import { ProfileServiceDefinition } from '@wren/contracts/user/v1/profile_service.js';
import { type ClientPool, createClientPool, createDatabase, type Database, type Logger } from '@wren/platform';
import type { Client } from 'nice-grpc';
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
}

export function createPostServiceContext(config: PostServiceConfig, logger: Logger): PostServiceContext {
  const clients = createClientPool({ defaultDeadlineMs: config.grpcDeadlineMs });
  const database = createDatabase<PostDatabase>({
    url: config.databaseUrl,
    max: config.databasePoolMax,
    applicationName: 'post-service',
  });
  return {
    config,
    logger,
    database,
    clients,
    profiles: clients.client(ProfileServiceDefinition, config.userServiceAddr),
  };
}
