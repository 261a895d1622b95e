import { createTestDatabase, testSigningKeys } from '@wren/testkit';
import { HealthDefinition } from 'nice-grpc-server-health';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createAccessTokenVerifier,
  createClientPool,
  createDatabase,
  createLogger,
  type RunningService,
  startGrpcService,
} from '../src/index.js';

describe('gRPC service bootstrap', () => {
  let service: RunningService;
  const clients = createClientPool({ defaultDeadlineMs: 2000 });

  beforeAll(async () => {
    const keys = await testSigningKeys();
    const url = await createTestDatabase('platform');
    service = await startGrpcService({
      config: {
        grpcHost: '127.0.0.1',
        grpcPort: 0,
        databaseUrl: url,
        databasePoolMax: 2,
        logLevel: 'silent',
        migrateOnStart: true,
        shutdownGraceMs: 1000,
      },
      logger: createLogger('test', 'silent'),
      database: createDatabase({ url, max: 2, applicationName: 'test' }),
      migrations: {},
      auth: {
        verifier: createAccessTokenVerifier({ issuer: 'i', audience: 'a', fetchKeys: async () => keys.keys }),
        publicMethods: new Set(),
      },
      register: () => {},
    });
  });
  afterAll(async () => {
    clients.close();
  });

  it('answers grpc.health.v1 SERVING, then NOT_SERVING once stopping', async () => {
    const health = clients.client(HealthDefinition, `127.0.0.1:${service.port}`);
    expect((await health.check({ service: '' })).status).toBe(1);
    await service.stop();
    await expect(health.check({ service: '' })).rejects.toThrow();
  });
});
