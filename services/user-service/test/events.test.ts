import { EventSinkServiceDefinition } from '@wren/contracts/events/v1/event_sink_service.js';
import type { Event } from '@wren/contracts/events/v1/events.js';
import { AuthServiceDefinition } from '@wren/contracts/user/v1/auth_service.js';
import { FollowServiceDefinition } from '@wren/contracts/user/v1/follow_service.js';
import { ProfileServiceDefinition } from '@wren/contracts/user/v1/profile_service.js';
import { createAccessTokenVerifier, createClientPool } from '@wren/platform';
import { eventually, freePort } from '@wren/testkit';
import { startUserServiceForTest } from '@wren/testkit/user-service';
import type { JWK } from 'jose';
import { createServer } from 'nice-grpc';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, PASSWORD } from './helpers.js';

/** A stand-in consumer: records what the relay delivers, and the credential it shows. */
async function startSink() {
  const received: Event[] = [];
  const credentials: string[] = [];
  const server = createServer();
  server.add(EventSinkServiceDefinition, {
    async deliver(request, context) {
      credentials.push(context.metadata.get('authorization') ?? '');
      received.push(...request.events);
      return {};
    },
  });
  const port = await freePort();
  await server.listen(`127.0.0.1:${port}`);
  return { received, credentials, port, stop: () => server.shutdown() };
}

describe('user-service events', () => {
  let sink: Awaited<ReturnType<typeof startSink>>;
  let service: Awaited<ReturnType<typeof startUserServiceForTest>>;
  const pool = createClientPool({ defaultDeadlineMs: 5000 });

  beforeAll(async () => {
    sink = await startSink();
    service = await startUserServiceForTest({ env: { OUTBOX_SUBSCRIBERS: `sink=127.0.0.1:${sink.port}` } });
  });
  afterAll(async () => {
    await service.service.stop();
    await sink.stop();
    pool.close();
  });

  it('publishes registrations, follows, profile changes and deletions, in order, with a service credential', async () => {
    const auth = pool.client(AuthServiceDefinition, service.addr);
    const follows = pool.client(FollowServiceDefinition, service.addr);
    const profiles = pool.client(ProfileServiceDefinition, service.addr);
    const ana = await auth.register({ username: 'ev_ana', email: 'ev_ana@example.com', password: PASSWORD });
    const ben = await auth.register({ username: 'ev_ben', email: 'ev_ben@example.com', password: PASSWORD });
    const anaToken = bearer(ana.tokens?.accessToken ?? '');
    await follows.follow({ username: 'ev_ben' }, anaToken);
    await follows.follow({ username: 'ev_ben' }, anaToken); // idempotent: no second event
    await follows.unfollow({ username: 'ev_ben' }, anaToken);
    await profiles.updateMe({ displayName: 'Ana' }, anaToken);
    await auth.deleteAccount({ password: PASSWORD }, bearer(ben.tokens?.accessToken ?? ''));

    await eventually(async () => sink.received.length >= 6);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const anaId = ana.account?.id;
    const benId = ben.account?.id;
    expect(sink.received.map((event) => event.payload)).toEqual([
      {
        $case: 'userRegistered',
        value: { profile: { userId: anaId, username: 'ev_ana', displayName: '', avatarUrl: '' } },
      },
      {
        $case: 'userRegistered',
        value: { profile: { userId: benId, username: 'ev_ben', displayName: '', avatarUrl: '' } },
      },
      { $case: 'userFollowed', value: { followerId: anaId, followeeId: benId, followedAt: expect.any(Date) } },
      { $case: 'userUnfollowed', value: { followerId: anaId, followeeId: benId } },
      {
        $case: 'userProfileUpdated',
        value: { profile: { userId: anaId, username: 'ev_ana', displayName: 'Ana', avatarUrl: '' } },
      },
      { $case: 'userDeleted', value: { userId: benId } },
    ]);
    expect(sink.received.every((event) => event.producer === 'user-service')).toBe(true);

    const jwks = await auth.getJwks({});
    const verifier = createAccessTokenVerifier({
      issuer: 'wren',
      audience: 'wren-api',
      fetchKeys: async () => jwks.keys as JWK[],
    });
    const token = sink.credentials[0]?.replace(/^Bearer /, '') ?? '';
    expect((await verifier.verifyService(token)).service).toBe('user-service');
    // A service credential is not a user's token.
    await expect(verifier.verify(token)).rejects.toThrow();
  });
});
