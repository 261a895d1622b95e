/**
 * What the notification-service suites share: a real user-service (real tokens, the JWKS
 * that verifies them, and a service credential for the event relay) and a real
 * notification-service on free ports; events are delivered through EventSinkService.Deliver
 * exactly as the outbox relays deliver them.
 */
import { createHash, randomBytes } from 'node:crypto';
import { EventSinkServiceDefinition } from '@wren/contracts/events/v1/event_sink_service.js';
import type { Event } from '@wren/contracts/events/v1/events.js';
import { NotificationType } from '@wren/contracts/notification/v1/notification.js';
import { NotificationServiceDefinition } from '@wren/contracts/notification/v1/notification_service.js';
import { PushServiceDefinition } from '@wren/contracts/notification/v1/push_service.js';
import { AuthServiceDefinition } from '@wren/contracts/user/v1/auth_service.js';
import { createClientPool, createLogger, uuidv7 } from '@wren/platform';
import { createTestDatabase } from '@wren/testkit';
import { vapidEnv } from '@wren/testkit/push';
import { startUserServiceForTest, testEnv } from '@wren/testkit/user-service';
import { Kysely, PostgresDialect } from 'kysely';
import { Metadata } from 'nice-grpc';
import pg from 'pg';
import { readNotificationServiceConfig } from '../src/config.js';
import type { NotificationDatabase } from '../src/db/schema.js';
import { startNotificationService } from '../src/service.js';

export const PASSWORD = 'correct horse battery';
export const T = NotificationType;
const RELAY = 'test-relay';

/** `env` adds to (or overrides) the notification-service configuration. */
export async function startTestServices(env: Record<string, string> = {}) {
  const secret = randomBytes(24).toString('hex');
  const digest = createHash('sha256').update(secret).digest('hex');
  const users = await startUserServiceForTest({ env: { SERVICE_CLIENTS: `${RELAY}:${digest}` } });
  const config = readNotificationServiceConfig({
    ...testEnv,
    GRPC_HOST: '127.0.0.1',
    GRPC_PORT: '0',
    DATABASE_URL: await createTestDatabase('notifications'),
    USER_SERVICE_ADDR: users.addr,
    ...vapidEnv(),
    ...env,
  });
  const service = await startNotificationService(config, createLogger('notification-service', config.logLevel));
  const addr = `127.0.0.1:${service.port}`;
  const pool = createClientPool({ defaultDeadlineMs: 10_000 });
  const auth = pool.client(AuthServiceDefinition, users.addr);
  const { token: serviceToken } = await auth.issueServiceToken({ service: RELAY, clientSecret: secret });
  const db = new Kysely<NotificationDatabase>({
    dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: config.databaseUrl, max: 2 }) }),
  });
  return {
    db,
    auth,
    serviceToken,
    config,
    notifications: pool.client(NotificationServiceDefinition, addr),
    push: pool.client(PushServiceDefinition, addr),
    sink: pool.client(EventSinkServiceDefinition, addr),
    async stop() {
      pool.close();
      await db.destroy();
      await service.stop();
      await users.service.stop();
    },
  };
}

export type TestServices = Awaited<ReturnType<typeof startTestServices>>;

export interface TestUser {
  id: string;
  username: string;
  accessToken: string;
}

let sequence = 0;

/**
 * Registers a real user (so their token verifies) and, unless `replica` is false, delivers
 * the userRegistered event that puts them into the actors replica.
 */
export async function registerUser(svc: TestServices, prefix = 'user', options: { replica?: boolean } = {}) {
  sequence += 1;
  const username = `${prefix}_${process.pid % 10_000}_${sequence}`;
  const response = await svc.auth.register({ username, email: `${username}@example.com`, password: PASSWORD });
  if (!response.account || !response.tokens) throw new Error('register returned no account or tokens');
  const user: TestUser = { id: response.account.id, username, accessToken: response.tokens.accessToken };
  if (options.replica !== false) {
    await deliver(svc, {
      $case: 'userRegistered',
      value: { profile: { userId: user.id, username, displayName: `${username} shown`, avatarUrl: '' } },
    });
  }
  return user;
}

/** Several users at once, as a tuple of the same length. */
export async function registerUsers<const N extends readonly string[]>(
  svc: TestServices,
  names: N,
): Promise<{ [K in keyof N]: TestUser }> {
  return (await Promise.all(names.map((name) => registerUser(svc, name)))) as { [K in keyof N]: TestUser };
}

type Payload = NonNullable<Event['payload']>;

export function followed(followerId: string, followeeId: string): Payload {
  return { $case: 'userFollowed', value: { followerId, followeeId, followedAt: new Date() } };
}

export function event(payload: Payload, id = uuidv7()): Event {
  return { id, occurredAt: new Date(), producer: 'test', payload, traceparent: '', actors: [] };
}

/** Delivers events (payloads get fresh ids) as a relay with a service credential would. */
export async function deliver(svc: TestServices, ...items: (Payload | Event)[]): Promise<Event[]> {
  const events = items.map((item) => ('$case' in item ? event(item) : item));
  await svc.sink.deliver({ events }, bearer(svc.serviceToken));
  return events;
}

export function bearer(token: string) {
  return { metadata: Metadata({ authorization: `Bearer ${token}` }) };
}

export const as = (user: TestUser) => bearer(user.accessToken);

/** The caller's notifications, newest first, as `type actor post comment` strings. */
export async function summary(svc: TestServices, user: TestUser): Promise<string[]> {
  const { notifications } = await svc.notifications.listNotifications({ pageSize: 100 }, as(user));
  return notifications.map((n) =>
    [n.type.replace('NOTIFICATION_TYPE_', ''), n.actor?.id, n.target?.postId || '-', n.target?.commentId || '-'].join(
      ' ',
    ),
  );
}

// One assertion for failing calls, shared by every service's tests.
export { type ExpectedError, expectGrpcError } from '@wren/testkit';

/** Waits a few milliseconds, so that the next notification gets a later UUIDv7. */
export function tick(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 3));
}
