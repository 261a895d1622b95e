/** What the user-service suites share: one real service per suite, clients, users, error checks. */
import { AuthServiceDefinition, type RegisterResponse } from '@wren/contracts/user/v1/auth_service.js';
import { FollowServiceDefinition } from '@wren/contracts/user/v1/follow_service.js';
import { ProfileServiceDefinition } from '@wren/contracts/user/v1/profile_service.js';
import { createClientPool } from '@wren/platform';
import { startUserServiceForTest } from '@wren/testkit/user-service';
import { Kysely, PostgresDialect } from 'kysely';
import { Metadata } from 'nice-grpc';
import pg from 'pg';
import type { UserDatabase } from '../src/db/schema.js';

export const PASSWORD = 'correct horse battery';

export async function startTestService() {
  const { service, addr, databaseUrl } = await startUserServiceForTest();
  const pool = createClientPool({ defaultDeadlineMs: 5000 });
  // Direct access for arranging what the API cannot (equal timestamps, expiry) and for
  // checking what it must not show (hashes, revoke reasons).
  const db = new Kysely<UserDatabase>({
    dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: databaseUrl, max: 2 }) }),
  });
  return {
    addr,
    db,
    auth: pool.client(AuthServiceDefinition, addr),
    profiles: pool.client(ProfileServiceDefinition, addr),
    follows: pool.client(FollowServiceDefinition, addr),
    async stop() {
      pool.close();
      await db.destroy();
      await service.stop();
    },
  };
}

export type TestService = Awaited<ReturnType<typeof startTestService>>;

export function bearer(token: string) {
  return { metadata: Metadata({ authorization: `Bearer ${token}` }) };
}

let sequence = 0;

/** A username no other test in the process uses. */
export function uniqueName(prefix = 'user'): string {
  sequence += 1;
  return `${prefix}_${process.pid % 10_000}_${sequence}`;
}

export interface TestUser extends RegisterResponse {
  username: string;
  email: string;
  password: string;
  id: string;
  accessToken: string;
  refreshToken: string;
}

export async function registerUser(svc: TestService, prefix = 'user', password = PASSWORD): Promise<TestUser> {
  const username = uniqueName(prefix);
  const email = `${username}@example.com`;
  const response = await svc.auth.register({
    username,
    email,
    password,
    client: { userAgent: 'vitest', ip: '127.0.0.1' },
  });
  const account = response.account;
  const tokens = response.tokens;
  if (!account || !tokens) throw new Error('register returned no account or tokens');
  return {
    ...response,
    username,
    email,
    password,
    id: account.id,
    accessToken: tokens.accessToken,
    refreshToken: tokens.refreshToken,
  };
}

// One assertion for failing calls, shared by every service's tests.
export { type ExpectedError, expectGrpcError } from '@wren/testkit';
