/**
 * Web Push end to end: events in through EventSinkService, out to a local push service that
 * verifies the VAPID JWT and decrypts the payload with the subscription's own keys.
 */
import { Channel } from '@wren/contracts/notification/v1/notification.js';
import { uuidv7 } from '@wren/platform';
import { startWebPushReceiver, type WebPushReceiver } from '@wren/testkit/push';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  as,
  deliver,
  event,
  followed,
  registerUser,
  startTestServices,
  T,
  type TestServices,
  type TestUser,
} from './helpers.js';
import { deliveriesTo, FAST_PUSH_ENV, settled, sleep } from './push-helpers.js';

/** A user with a Web Push subscription at the local receiver. */
async function subscribe(svc: TestServices, receiver: WebPushReceiver, prefix: string) {
  const user = await registerUser(svc, prefix);
  const subscription = receiver.subscribe();
  await svc.push.registerWebPushSubscription({ subscription }, as(user));
  return { user, subscription };
}

const liked = (postAuthor: TestUser, liker: TestUser, postId = uuidv7()) =>
  ({
    $case: 'postLiked',
    value: { postId, postAuthorId: postAuthor.id, likerId: liker.id, excerpt: 'Hello, birds' },
  }) as const;

describe('web push delivery', () => {
  let svc: TestServices;
  let receiver: WebPushReceiver;

  beforeAll(async () => {
    receiver = await startWebPushReceiver();
    svc = await startTestServices(FAST_PUSH_ENV);
  });
  afterAll(async () => {
    await svc?.stop();
    await receiver?.close();
  });

  const subscribed = (prefix: string) => subscribe(svc, receiver, prefix);

  it('pushes a like, encrypted for the subscription and signed with the VAPID key', async () => {
    const { user: ana, subscription } = await subscribed('ana');
    const ben = await registerUser(svc, 'ben');
    const postId = uuidv7();
    await deliver(svc, liked(ana, ben, postId));

    const [push] = await receiver.waitFor(1, (p) => p.subscriptionId === subscription.id);
    const { notifications } = await svc.notifications.listNotifications({ pageSize: 10 }, as(ana));
    expect(push?.payload).toEqual({
      title: 'New like',
      body: `${ben.username} shown liked your post: “Hello, birds”`,
      url: `/posts/${postId}`,
      notificationId: notifications[0]?.id,
      type: 'like',
    });
    expect(push?.vapidKey).toBe(svc.config.push.vapid.publicKey);
    expect(push?.claims.aud).toBe(receiver.origin);
    expect(push?.claims.sub).toBe('mailto:push-tests@wren.invalid');
    expect(push?.headers).toMatchObject({ ttl: '86400', urgency: 'normal', contentEncoding: 'aes128gcm' });
    expect(push?.headers.topic).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(receiver.rejected).toEqual([]);
    expect(await settled(svc, ana.id)).toMatchObject([{ channel: 'web_push', status: 'delivered', attempts: 1 }]);
  });

  // This suite sends at once (PUSH_ACTOR_WAIT_MS=0): without the carried profile the push
  // would say "Someone".
  it("knows a new actor at once from the profile post-service's event carries", async () => {
    const { user: ana, subscription } = await subscribed('ana_carried');
    const ben = await registerUser(svc, 'ben_carried', { replica: false });
    const carried = {
      ...event(liked(ana, ben)),
      actors: [{ userId: ben.id, username: ben.username, displayName: 'Ben Carried', avatarUrl: '' }],
    };
    await deliver(svc, carried);
    const [push] = await receiver.waitFor(1, (p) => p.subscriptionId === subscription.id);
    expect(push?.payload.body).toContain('Ben Carried');
    // A carried profile never overrides user-service's own: a known actor keeps their name.
    const known = await registerUser(svc, 'known');
    await deliver(svc, {
      ...event(liked(ana, known)),
      actors: [{ userId: known.id, username: known.username, displayName: 'Stale Name', avatarUrl: '' }],
    });
    const pushes = await receiver.waitFor(2, (p) => p.subscriptionId === subscription.id);
    expect(pushes[1]?.payload.body).toContain(`${known.username} shown`);
  });

  it('sends a mention with high urgency, and a redelivered event not twice', async () => {
    const { user: ana, subscription } = await subscribed('ana');
    const ben = await registerUser(svc, 'ben');
    const mention = event({
      $case: 'postMentioned',
      value: { postId: uuidv7(), authorId: ben.id, mentionedUserIds: [ana.id], excerpt: '@ana look' },
    });
    await deliver(svc, mention);
    await deliver(svc, mention);
    const [push] = await receiver.waitFor(1, (p) => p.subscriptionId === subscription.id);
    expect(push?.headers.urgency).toBe('high');
    expect(push?.payload).toMatchObject({ type: 'mention', title: 'You were mentioned' });
    await settled(svc, ana.id);
    await sleep(100);
    expect(receiver.received.filter((p) => p.subscriptionId === subscription.id)).toHaveLength(1);
  });

  it('removes a subscription the push service answers 410 for', async () => {
    const { user: ana, subscription } = await subscribed('ana');
    receiver.answer({ status: 410 });
    await deliver(svc, followed((await registerUser(svc, 'ben')).id, ana.id));
    expect(await settled(svc, ana.id)).toMatchObject([
      { status: 'gone', attempts: 1, last_error: 'push service answered 410' },
    ]);
    const left = await svc.db
      .selectFrom('web_push_subscriptions')
      .select('id')
      .where('endpoint', '=', subscription.endpoint)
      .execute();
    expect(left).toEqual([]);
    // Nothing more goes there.
    await deliver(svc, followed((await registerUser(svc, 'cat')).id, ana.id));
    expect(await deliveriesTo(svc, ana.id)).toHaveLength(1);
  });

  it('retries a 500 and delivers once', async () => {
    const { user: ana, subscription } = await subscribed('ana');
    receiver.answer({ status: 500 });
    await deliver(svc, liked(ana, await registerUser(svc, 'ben')));
    expect(await settled(svc, ana.id)).toMatchObject([{ status: 'delivered', attempts: 2 }]);
    expect(receiver.attempts.filter((a) => a.subscriptionId === subscription.id).map((a) => a.status)).toEqual([
      500, 201,
    ]);
    expect(receiver.received.filter((p) => p.subscriptionId === subscription.id)).toHaveLength(1);
  });

  it('waits as long as a 429 Retry-After asks', async () => {
    const { user: ana, subscription } = await subscribed('ana');
    receiver.answer({ status: 429, headers: { 'retry-after': '1' } });
    await deliver(svc, liked(ana, await registerUser(svc, 'ben')));
    expect(await settled(svc, ana.id)).toMatchObject([{ status: 'delivered', attempts: 2 }]);
    const [first, second] = receiver.attempts.filter((a) => a.subscriptionId === subscription.id);
    expect(first?.status).toBe(429);
    // The backoff alone would be about 20 ms.
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(950);
  });

  it('records a failure after the last attempt, and does not retry other 4xx', async () => {
    const { user: ana } = await subscribed('ana');
    receiver.answer({ status: 503 }, 4);
    await deliver(svc, liked(ana, await registerUser(svc, 'ben')));
    const [row] = await settled(svc, ana.id);
    expect(row).toMatchObject({ status: 'failed', attempts: 4 });
    expect(row?.last_error).toContain('gave up after 4 attempts');

    const { user: cat } = await subscribed('cat');
    receiver.answer({ status: 400 });
    await deliver(svc, liked(cat, await registerUser(svc, 'dan')));
    expect(await settled(svc, cat.id)).toMatchObject([
      { status: 'failed', attempts: 1, last_error: 'push service answered 400' },
    ]);
  });

  it('sends nothing for a type whose web_push cell is off', async () => {
    const { user: ana, subscription } = await subscribed('ana');
    await svc.notifications.updatePreferences(
      { preferences: [{ type: T.NOTIFICATION_TYPE_LIKE, channel: Channel.CHANNEL_WEB_PUSH, enabled: false }] },
      as(ana),
    );
    const ben = await registerUser(svc, 'ben');
    await deliver(svc, liked(ana, ben), followed(ben.id, ana.id));
    const pushes = await receiver.waitFor(1, (p) => p.subscriptionId === subscription.id);
    expect(pushes.map((p) => p.payload.type)).toEqual(['follow']);
    expect((await settled(svc, ana.id)).map((row) => row.status)).toEqual(['delivered']);
    // The like exists in-app all the same.
    const { notifications } = await svc.notifications.listNotifications({ pageSize: 10 }, as(ana));
    expect(notifications).toHaveLength(2);
  });

  it('sends nothing to an unregistered subscription', async () => {
    const { user: ana, subscription } = await subscribed('ana');
    await svc.push.unregisterWebPushSubscription({ endpoint: subscription.endpoint }, as(ana));
    await deliver(svc, liked(ana, await registerUser(svc, 'ben')));
    expect(await deliveriesTo(svc, ana.id)).toEqual([]);
  });
});

describe('web push: an actor the replica does not know yet', () => {
  let svc: TestServices;
  let receiver: WebPushReceiver;

  beforeAll(async () => {
    receiver = await startWebPushReceiver();
    svc = await startTestServices({ ...FAST_PUSH_ENV, PUSH_ACTOR_WAIT_MS: '2000' });
  });
  afterAll(async () => {
    await svc?.stop();
    await receiver?.close();
  });

  const subscribed = (prefix: string) => subscribe(svc, receiver, prefix);

  it("waits briefly for a new actor's profile rather than pushing 'Someone', then names them", async () => {
    const { user: ana, subscription } = await subscribed('ana_wait');
    // ben's like arrives before user-service's event about ben (different relays).
    const ben = await registerUser(svc, 'ben_late', { replica: false });
    await deliver(svc, liked(ana, ben));
    await sleep(400);
    expect(receiver.received.filter((p) => p.subscriptionId === subscription.id)).toEqual([]);
    expect((await deliveriesTo(svc, ana.id))[0]).toMatchObject({
      status: 'pending',
      last_error: 'actor not replicated yet',
    });
    await deliver(svc, {
      $case: 'userRegistered',
      value: { profile: { userId: ben.id, username: ben.username, displayName: 'Ben Late', avatarUrl: '' } },
    });
    const [push] = await receiver.waitFor(1, (p) => p.subscriptionId === subscription.id);
    expect(push?.payload.body).toContain('Ben Late');
  });

  it('still pushes, as "Someone", when the actor never becomes known', async () => {
    const { user: ana, subscription } = await subscribed('ana_never');
    const ghost = await registerUser(svc, 'ghost', { replica: false });
    await deliver(svc, liked(ana, ghost));
    const [push] = await receiver.waitFor(1, (p) => p.subscriptionId === subscription.id, 10_000);
    expect(push?.payload.body).toMatch(/^Someone liked your post/);
    expect(await settled(svc, ana.id, 10_000)).toMatchObject([{ status: 'delivered' }]);
  });
});
