import {
  ProfileServiceDefinition,
  type ProfileServiceImplementation,
} from '@wren/contracts/user/v1/profile_service.js';
import { createTestDatabase, metricValue, scrape, testSigningKeys } from '@wren/testkit';
import { importJWK, type JWK, SignJWT } from 'jose';
import { ClientError, Metadata, Status } from 'nice-grpc';
import { HealthDefinition } from 'nice-grpc-server-health';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createAccessTokenVerifier,
  createClientPool,
  createDatabase,
  createLogger,
  createMetricsRegistry,
  methodPath,
  type RunningService,
  requireUser,
  SERVICE_TOKEN_AUDIENCE,
  SERVICE_TOKEN_TYPE,
  startGrpcService,
  type WrenCallContextExt,
} from '../src/index.js';

const publicOf = ({ d: _d, ...key }: JWK) => key;

async function serviceToken(key: JWK, service: string): Promise<string> {
  return new SignJWT({})
    .setProtectedHeader({ alg: 'EdDSA', kid: key.kid, typ: SERVICE_TOKEN_TYPE })
    .setIssuer('wren')
    .setAudience(SERVICE_TOKEN_AUDIENCE)
    .setSubject(service)
    .setIssuedAt()
    .setExpirationTime('5m')
    .sign(await importJWK(key, 'EdDSA'));
}

async function accessToken(key: JWK): Promise<string> {
  return new SignJWT({ sid: 'session-1' })
    .setProtectedHeader({ alg: 'EdDSA', kid: key.kid, typ: 'at+jwt' })
    .setIssuer('wren')
    .setAudience('wren-api')
    .setSubject('user-1')
    .setIssuedAt()
    .setExpirationTime('5m')
    .sign(await importJWK(key, 'EdDSA'));
}

describe('gRPC service bootstrap', () => {
  const registry = createMetricsRegistry('test');
  let service: RunningService;
  let address: string;
  let releaseSlowCall: () => void = () => {};
  const clients = createClientPool({ defaultDeadlineMs: 5000 });

  // A stand-in implementation: `updateMe` waits until the test lets it finish,
  // `getProfile` is public and echoes who called.
  const unused = async () => {
    throw new Error('not used by this test');
  };
  const impl: ProfileServiceImplementation<WrenCallContextExt> = {
    async updateMe(request, context) {
      const user = requireUser(context);
      await new Promise<void>((resolve) => {
        releaseSlowCall = resolve;
      });
      return { account: { id: user.userId, bio: request.bio ?? '' } };
    },
    async getProfile(request, context) {
      if (request.username === 'crash') throw new Error('database password is hunter2');
      return {
        profile: {
          username: request.username,
          id: context.caller?.kind === 'user' ? context.caller.userId : 'anonymous',
        },
      };
    },
    getMe: unused,
    async getUserSummaries(_request, context) {
      const caller = context.caller;
      return { users: [{ id: caller?.kind === 'service' ? `service:${caller.service}` : 'not a service' }] };
    },
  };

  beforeAll(async () => {
    const keys = await testSigningKeys();
    const url = await createTestDatabase('platform');
    service = await startGrpcService({
      config: {
        grpcHost: '127.0.0.1',
        grpcPort: 0,
        adminHost: '127.0.0.1',
        adminPort: 0,
        databaseUrl: url,
        databasePoolMax: 2,
        logLevel: 'silent',
        migrateOnStart: true,
        shutdownGraceMs: 5000,
      },
      logger: createLogger('test', 'silent'),
      registry,
      database: createDatabase({ url, max: 2, applicationName: 'test', registry }),
      migrations: {},
      auth: {
        verifier: createAccessTokenVerifier({
          issuer: 'wren',
          audience: 'wren-api',
          fetchKeys: async () => keys.keys.map(publicOf),
        }),
        publicMethods: new Set([methodPath(ProfileServiceDefinition, 'getProfile')]),
        serviceMethods: new Set([methodPath(ProfileServiceDefinition, 'getUserSummaries')]),
      },
      register: (server) => server.add(ProfileServiceDefinition, impl),
    });
    address = `127.0.0.1:${service.port}`;
  });
  afterAll(() => clients.close());

  it('refuses a protected method without a token, and with a bad one', async () => {
    const profiles = clients.client(ProfileServiceDefinition, address);
    await expect(profiles.updateMe({ bio: 'x' })).rejects.toMatchObject({ code: Status.UNAUTHENTICATED });
    await expect(
      profiles.updateMe({ bio: 'x' }, { metadata: Metadata({ authorization: 'Bearer a.b.c' }) }),
    ).rejects.toMatchObject({ code: Status.UNAUTHENTICATED });
  });

  it('serves a public method without a token, and knows the caller when one is sent', async () => {
    const profiles = clients.client(ProfileServiceDefinition, address);
    expect((await profiles.getProfile({ username: 'p' })).profile?.id).toBe('anonymous');
    const token = await accessToken((await testSigningKeys()).keys[0] as JWK);
    const withToken = await profiles.getProfile(
      { username: 'p' },
      { metadata: Metadata({ authorization: `Bearer ${token}` }) },
    );
    expect(withToken.profile?.id).toBe('user-1');
  });

  it('lets only service credentials call service methods, and never accepts them elsewhere', async () => {
    const profiles = clients.client(ProfileServiceDefinition, address);
    const key = (await testSigningKeys()).keys[0] as JWK;
    const asService = { metadata: Metadata({ authorization: `Bearer ${await serviceToken(key, 'user-service')}` }) };
    const asUser = { metadata: Metadata({ authorization: `Bearer ${await accessToken(key)}` }) };
    expect((await profiles.getUserSummaries({}, asService)).users[0]?.id).toBe('service:user-service');
    await expect(profiles.getUserSummaries({}, asUser)).rejects.toMatchObject({ code: Status.PERMISSION_DENIED });
    await expect(profiles.getUserSummaries({})).rejects.toMatchObject({ code: Status.UNAUTHENTICATED });
    await expect(profiles.updateMe({ bio: 'x' }, asService)).rejects.toMatchObject({ code: Status.UNAUTHENTICATED });
  });

  it('turns an unexpected error into INTERNAL without leaking its message', async () => {
    const profiles = clients.client(ProfileServiceDefinition, address);
    const error = await profiles.getProfile({ username: 'crash' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ClientError);
    expect((error as ClientError).code).toBe(Status.INTERNAL);
    expect((error as ClientError).details).not.toContain('hunter2');
  });

  it('serves RED metrics on the admin port: calls by method and code (server and client), pool, Node', async () => {
    const metricsUrl = `http://127.0.0.1:${service.adminPort}/metrics`;
    const method = { service: 'test', grpc_service: 'wren.user.v1.ProfileService', grpc_method: 'GetProfile' };
    const ok = { ...method, grpc_type: 'unary', grpc_code: 'OK' };
    const internal = { ...method, grpc_code: 'INTERNAL' };
    // Earlier tests called the same method: compare with the counts before this one.
    const before = await scrape(metricsUrl);
    const count = (text: string, name: string, labels: Record<string, string>) => metricValue(text, name, labels) ?? 0;
    const callerRegistry = createMetricsRegistry('caller');
    const measured = createClientPool({ defaultDeadlineMs: 5000, registry: callerRegistry });
    const profiles = measured.client(ProfileServiceDefinition, address);
    await profiles.getProfile({ username: 'ana' });
    await profiles.getProfile({ username: 'ana' });
    await profiles.getProfile({ username: 'crash' }).catch(() => {});
    measured.close();

    const text = await scrape(metricsUrl);
    const delta = (name: string, labels: Record<string, string>) =>
      count(text, name, labels) - count(before, name, labels);
    expect(delta('grpc_server_handled_total', ok)).toBe(2);
    expect(delta('grpc_server_handled_total', internal)).toBe(1);
    expect(delta('grpc_server_handling_seconds_count', method)).toBe(3);
    expect(metricValue(text, 'wren_db_pool_max_connections', { service: 'test' })).toBe(2);
    expect(metricValue(text, 'wren_db_pool_connections', { state: 'in_use' })).toBeGreaterThanOrEqual(0);
    expect(metricValue(text, 'process_resident_memory_bytes')).toBeGreaterThan(0);
    // No label carries a value from the request (the username): the series stay bounded.
    expect(text).not.toContain('ana');

    const caller = await callerRegistry.metrics();
    const called = { service: 'caller', grpc_method: 'GetProfile' };
    expect(metricValue(caller, 'grpc_client_handled_total', { ...called, grpc_code: 'OK' })).toBe(2);
    expect(metricValue(caller, 'grpc_client_handled_total', { ...called, grpc_code: 'INTERNAL' })).toBe(1);
    expect((await fetch(`http://127.0.0.1:${service.adminPort}/healthz`)).status).toBe(200);
    expect((await fetch(`http://127.0.0.1:${service.adminPort}/nope`)).status).toBe(404);
  });

  it('on stop: reports NOT_SERVING, lets the call in flight finish, then refuses new calls', async () => {
    const health = clients.client(HealthDefinition, address);
    const profiles = clients.client(ProfileServiceDefinition, address);
    expect((await health.check({ service: '' })).status).toBe(1);

    const token = await accessToken((await testSigningKeys()).keys[0] as JWK);
    const inFlight = profiles.updateMe({ bio: 'slow' }, { metadata: Metadata({ authorization: `Bearer ${token}` }) });
    await new Promise((resolve) => setTimeout(resolve, 100));
    let stopped = false;
    const stopping = service.stop().then(() => {
      stopped = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(stopped).toBe(false);
    // Draining: the admin healthcheck says so, for container healthchecks.
    expect((await fetch(`http://127.0.0.1:${service.adminPort}/healthz`)).status).toBe(503);
    releaseSlowCall();
    expect((await inFlight).account?.bio).toBe('slow');
    await stopping;
    await expect(health.check({ service: '' })).rejects.toMatchObject({ code: Status.UNAVAILABLE });
  });
});
