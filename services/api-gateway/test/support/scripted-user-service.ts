/**
 * A stand-in for user-service that speaks real gRPC (rich error details included) and
 * answers whatever the test scripts, so a suite can make the gateway meet every status code
 * and detail shape without building the state that would cause it. It records each call's
 * request and metadata. Its JWKS is the testkit key set, so tokens from `signTestToken`
 * verify here and at the gateway. Neither of the gateway's background calls (keys,
 * revoked sessions) is recorded.
 */
import { AuthServiceDefinition, type AuthServiceImplementation } from '@wren/contracts/user/v1/auth_service.js';
import { FollowServiceDefinition, type FollowServiceImplementation } from '@wren/contracts/user/v1/follow_service.js';
import {
  ProfileServiceDefinition,
  type ProfileServiceImplementation,
} from '@wren/contracts/user/v1/profile_service.js';
import { testSigningKeys } from '@wren/testkit';
import { createServer } from 'nice-grpc';
import { errorDetailsServerMiddleware } from 'nice-grpc-error-details';
import { HealthDefinition, HealthServiceImpl, HealthState } from 'nice-grpc-server-health';
import { type Handler, type RecordedCall, scripted } from './scripted.js';

export type { RecordedCall } from './scripted.js';

type Impl = AuthServiceImplementation & ProfileServiceImplementation & FollowServiceImplementation;
type MethodName = Exclude<keyof Impl, 'getJwks' | 'listRevokedSessions'>;

export interface ScriptedUserService {
  addr: string;
  health: HealthState;
  calls: RecordedCall[];
  /** Scripts one method; unscripted methods answer UNIMPLEMENTED. */
  on<M extends MethodName>(method: M, handler: (request: Parameters<Impl[M]>[0]) => ReturnType<Impl[M]>): void;
  reset(): void;
  stop(): Promise<void>;
}

export async function startScriptedUserService(): Promise<ScriptedUserService> {
  const handlers = new Map<string, Handler>();
  const calls: RecordedCall[] = [];
  const keys = await testSigningKeys();
  const published = keys.keys.map((key) => ({
    kid: key.kid ?? '',
    kty: 'OKP',
    crv: 'Ed25519',
    x: key.x ?? '',
    alg: 'EdDSA',
    use: 'sig',
  }));
  const health = HealthState();
  const server = createServer().use(errorDetailsServerMiddleware);
  server.add(AuthServiceDefinition, {
    ...(scripted(AuthServiceDefinition, handlers, calls) as unknown as AuthServiceImplementation),
    getJwks: async () => ({ keys: published }),
    // The gateway polls this in the background; no session ever ends here.
    listRevokedSessions: async (request) => ({ sessions: [], nextCursor: request.cursor, more: false }),
  });
  server.add(
    ProfileServiceDefinition,
    scripted(ProfileServiceDefinition, handlers, calls) as unknown as ProfileServiceImplementation,
  );
  server.add(
    FollowServiceDefinition,
    scripted(FollowServiceDefinition, handlers, calls) as unknown as FollowServiceImplementation,
  );
  server.add(HealthDefinition, HealthServiceImpl(health));
  const port = await server.listen('127.0.0.1:0');
  return {
    addr: `127.0.0.1:${port}`,
    health,
    calls,
    on(method, handler) {
      handlers.set(method, handler as Handler);
    },
    reset() {
      handlers.clear();
      calls.length = 0;
      health.setStatus('healthy');
    },
    stop: () => server.shutdown(),
  };
}
