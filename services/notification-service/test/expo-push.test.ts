/** Expo push end to end, against a local fake of the Expo push API. */

import { Channel } from '@wren/contracts/notification/v1/notification.js';
import { uuidv7 } from '@wren/platform';
import { type ExpoPushFake, startExpoPushFake } from '@wren/testkit/push';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  as,
  deliver,
  followed,
  registerUser,
  startTestServices,
  T,
  type TestServices,
  type TestUser,
} from './helpers.js';
import { FAST_PUSH_ENV, settled } from './push-helpers.js';

describe('expo push delivery', () => {
  let svc: TestServices;
  let expo: ExpoPushFake;

  beforeAll(async () => {
    expo = await startExpoPushFake();
    svc = await startTestServices({ ...FAST_PUSH_ENV, EXPO_BASE_URL: expo.baseUrl, EXPO_ACCESS_TOKEN: 'expo-secret' });
  });
  afterAll(async () => {
    await svc?.stop();
    await expo?.close();
  });

  const tokenOf = (user: TestUser, n = 0) => `ExponentPushToken[${user.id.slice(-12)}-${n}]`;

  async function withTokens(prefix: string, count = 1) {
    const user = await registerUser(svc, prefix);
    for (let n = 0; n < count; n += 1) await svc.push.registerExpoPushToken({ token: tokenOf(user, n) }, as(user));
    return user;
  }

  const liked = (author: TestUser, likerId: string) =>
    ({ $case: 'postLiked', value: { postId: uuidv7(), postAuthorId: author.id, likerId, excerpt: 'x' } }) as const;

  const tokens = async (user: TestUser) =>
    (await svc.db.selectFrom('expo_push_tokens').select('token').where('user_id', '=', user.id).execute()).map(
      (r) => r.token,
    );

  it('sends 110 messages in requests of at most 100, with the access token, and confirms them by receipt', async () => {
    const users = await Promise.all([...Array(11).keys()].map((i) => withTokens(`m${i}`, 10)));
    const ben = await registerUser(svc, 'ben');
    const before = expo.messages.length;
    await deliver(svc, {
      $case: 'postMentioned',
      value: { postId: uuidv7(), authorId: ben.id, mentionedUserIds: users.map((u) => u.id), excerpt: 'hi all' },
    });
    await expo.waitForMessages(before + 110);
    expect(expo.violations).toEqual([]);
    expect(Math.max(...expo.chunkSizes)).toBeLessThanOrEqual(100);
    expect(expo.authorizations.every((a) => a === 'Bearer expo-secret')).toBe(true);
    const mine = expo.messages.slice(before);
    expect(new Set(mine.map((m) => m.to)).size).toBe(110);
    expect(mine[0]).toMatchObject({ title: 'You were mentioned', priority: 'high', data: { type: 'mention' } });
    expect(mine[0]?.body).toContain(`${ben.username} shown mentioned you`);
    for (const user of users) {
      expect((await settled(svc, user.id)).map((row) => row.status)).toEqual(Array(10).fill('delivered'));
    }
  });

  it('sends nothing for a type whose expo_push cell is off', async () => {
    const ana = await withTokens('ana');
    await svc.notifications.updatePreferences(
      { preferences: [{ type: T.NOTIFICATION_TYPE_LIKE, channel: Channel.CHANNEL_EXPO_PUSH, enabled: false }] },
      as(ana),
    );
    const ben = await registerUser(svc, 'ben_off');
    const before = expo.messages.length;
    await deliver(svc, liked(ana, ben.id), followed(ben.id, ana.id));
    await expo.waitForMessages(before + 1);
    expect((await settled(svc, ana.id)).map((row) => row.status)).toEqual(['delivered']);
    const mine = expo.messages.slice(before).filter((message) => message.to === tokenOf(ana));
    expect(mine.map((message) => (message.data as { type?: string }).type)).toEqual(['follow']);
    // The like exists in-app all the same.
    const { notifications } = await svc.notifications.listNotifications({ pageSize: 10 }, as(ana));
    expect(notifications).toHaveLength(2);
  });

  it('removes a token whose ticket says DeviceNotRegistered', async () => {
    const ana = await withTokens('ana', 2);
    expo.unregisterAtSend(tokenOf(ana, 0));
    await deliver(svc, liked(ana, uuidv7()));
    const rows = await settled(svc, ana.id);
    expect(rows.map((r) => `${r.destination} ${r.status}`).sort()).toEqual(
      [`${tokenOf(ana, 0)} gone`, `${tokenOf(ana, 1)} delivered`].sort(),
    );
    expect(await tokens(ana)).toEqual([tokenOf(ana, 1)]);
  });

  it('fetches receipts later and removes a token whose receipt says DeviceNotRegistered', async () => {
    const ana = await withTokens('ana');
    expo.unregisterAtReceipt(tokenOf(ana));
    await deliver(svc, liked(ana, uuidv7()));
    const [row] = await settled(svc, ana.id);
    expect(row).toMatchObject({ status: 'gone', last_error: 'DeviceNotRegistered', receipt_checks: 1 });
    await expo.waitForReceiptRequest(row?.ticket_id as string);
    expect(await tokens(ana)).toEqual([]);
  });

  it('retries after 429 and 500, and sends once', async () => {
    const ana = await withTokens('ana');
    expo.answer({ status: 429, headers: { 'retry-after': '0' } });
    expo.answer({ status: 500 });
    await deliver(svc, liked(ana, uuidv7()));
    expect(await settled(svc, ana.id)).toMatchObject([{ status: 'delivered', attempts: 3 }]);
    expect(expo.messages.filter((m) => m.to === tokenOf(ana))).toHaveLength(1);
  });
});
