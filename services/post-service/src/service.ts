import {
  createClientPool,
  createDatabase,
  createLogger,
  createRemoteJwksVerifier,
  type Logger,
  type RunningService,
  startGrpcService,
} from '@wren/platform';
import type { PostServiceConfig } from './config.js';
import { migrations } from './db/migrations/index.js';

/** Serves health and migrates its database; posts, comments, likes and timelines come next. */
export async function startPostService(
  config: PostServiceConfig,
  logger: Logger = createLogger('post-service', config.logLevel),
): Promise<RunningService> {
  const clients = createClientPool({ defaultDeadlineMs: config.grpcDeadlineMs });
  const database = createDatabase({
    url: config.databaseUrl,
    max: config.databasePoolMax,
    applicationName: 'post-service',
  });
  return startGrpcService({
    config,
    logger,
    database,
    migrations,
    auth: {
      verifier: createRemoteJwksVerifier(clients, config.userServiceAddr, config.tokens),
      publicMethods: new Set(),
    },
    register: () => {},
    release: () => clients.close(),
  });
}
