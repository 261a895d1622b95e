/** user-service alone, on a free port against a fresh database, for its own suites. */
import { createLogger, type RunningService } from '@wren/platform';
import { readUserServiceConfig, startUserService } from '@wren/user-service';
import { createTestDatabase } from './databases.js';
import { testSigningKeys } from './keys.js';

type Env = Record<string, string | undefined>;

export const quiet = { LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent' };

/** What every service started by a test gets: quiet logs, and an admin port of its own. */
export const testEnv = { ...quiet, ADMIN_HOST: '127.0.0.1', ADMIN_PORT: '0' };

export async function startUserServiceForTest(
  options: { env?: Env } = {},
): Promise<{ service: RunningService; addr: string; databaseUrl: string }> {
  const databaseUrl = await createTestDatabase('users');
  const keys = await testSigningKeys();
  const config = readUserServiceConfig({
    ...testEnv,
    GRPC_HOST: '127.0.0.1',
    GRPC_PORT: '0',
    DATABASE_URL: databaseUrl,
    JWT_PRIVATE_KEYS: JSON.stringify(keys),
    ...options.env,
  });
  const service = await startUserService(config, createLogger('user-service', config.logLevel));
  return { service, addr: `127.0.0.1:${service.port}`, databaseUrl };
}
