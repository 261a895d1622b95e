/**
 * The grouped view: likes and shares of one target form one group with a count and the
 * latest three actors; everything else is its own group; newest group first, paged.
 */
import type { NotificationGroup } from '@wren/contracts/notification/v1/notification.js';
import { uuidv7 } from '@wren/platform';
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
  tick,
} from './helpers.js';

describe('notification groups', () => {
  let svc: TestServices;

  beforeAll(async () => {
    svc = await startTestServices();
  });
  afterAll(async () => {
    await svc?.stop();
  });

  /**
   * In time order: five users like Ana's post, Ben follows her, Cat likes her comment, two
   * users share the post, and the first liker comments on it.
   */
  const busyAna = async () => {
    const ana = await registerUser(svc, 'ana');
    const others: TestUser[] = [];
    for (let i = 0; i < 5; i += 1) others.push(await registerUser(svc, `u${i}`));
    const [u0, u1, u2, u3, u4] = others as [TestUser, TestUser, TestUser, TestUser, TestUser];
    const postId = uuidv7();
    const commentId = uuidv7();
    const step = async (payload: Parameters<typeof deliver>[1]) => {
      await deliver(svc, payload);
      await tick();
    };
    for (const liker of others) {
      await step({
        $case: 'postLiked',
        value: { postId, postAuthorId: ana.id, likerId: liker.id, excerpt: 'my post' },
      });
    }
    await step(followed(u1.id, ana.id));
    await step({
      $case: 'commentLiked',
      value: { commentId, postId, commentAuthorId: ana.id, likerId: u2.id, excerpt: 'my comment' },
    });
    for (const sharer of [u3, u4]) {
      await step({
        $case: 'postShared',
        value: { shareId: uuidv7(), postId, postAuthorId: ana.id, sharerId: sharer.id, quote: '', excerpt: 'my post' },
      });
    }
    await step({
      $case: 'commentCreated',
      value: {
        commentId: uuidv7(),
        postId,
        postAuthorId: ana.id,
        authorId: u0.id,
        parentId: '',
        parentAuthorId: '',
        mentionedUserIds: [],
        excerpt: 'nice',
      },
    });
    return { ana, others, postId, commentId };
  };

  const shape = (group: NotificationGroup) => ({
    type: group.type,
    target: group.target?.commentId || group.target?.postId || '-',
    actors: group.latestActors.map((actor) => actor.id),
    count: group.actorCount,
    read: group.read,
  });

  it('groups likes and shares of one target, with the count and the latest three actors', async () => {
    const { ana, others, postId, commentId } = await busyAna();
    const [u0, u1, u2, u3, u4] = others.map((user) => user.id) as [string, string, string, string, string];
    const { groups, nextPageToken } = await svc.notifications.listNotificationGroups({}, as(ana));
    expect(nextPageToken).toBe('');
    expect(groups.map(shape)).toEqual([
      { type: T.NOTIFICATION_TYPE_COMMENT, target: expect.any(String), actors: [u0], count: 1, read: false },
      { type: T.NOTIFICATION_TYPE_SHARE, target: postId, actors: [u4, u3], count: 2, read: false },
      { type: T.NOTIFICATION_TYPE_LIKE, target: commentId, actors: [u2], count: 1, read: false },
      { type: T.NOTIFICATION_TYPE_FOLLOW, target: '-', actors: [u1], count: 1, read: false },
      { type: T.NOTIFICATION_TYPE_LIKE, target: postId, actors: [u4, u3, u2], count: 5, read: false },
    ]);
    const postLikes = groups[4];
    expect(postLikes?.target).toMatchObject({ postId, commentId: '', excerpt: 'my post' });
    expect(postLikes?.latestActors[0]?.displayName).toBe(`${others[4]?.username} shown`);
    // The group's latest notification is its newest like.
    const likes = await svc.notifications.listNotifications({ types: [T.NOTIFICATION_TYPE_LIKE] }, as(ana));
    const newestPostLike = likes.notifications.find((n) => n.target?.commentId === '');
    expect(postLikes?.latestNotificationId).toBe(newestPostLike?.id);
    expect(postLikes?.latestAt?.getTime()).toBe(newestPostLike?.createdAt?.getTime());
  });

  it('pages groups newest first without gaps or repeats, and filters them', async () => {
    const { ana } = await busyAna();
    const all = (await svc.notifications.listNotificationGroups({}, as(ana))).groups;
    const paged: NotificationGroup[] = [];
    let pageToken = '';
    do {
      const page = await svc.notifications.listNotificationGroups({ pageSize: 2, pageToken }, as(ana));
      paged.push(...page.groups);
      pageToken = page.nextPageToken;
    } while (pageToken !== '');
    expect(paged.map((group) => group.latestNotificationId)).toEqual(all.map((group) => group.latestNotificationId));
    expect(paged).toHaveLength(5);

    const likes = await svc.notifications.listNotificationGroups({ types: [T.NOTIFICATION_TYPE_LIKE] }, as(ana));
    expect(likes.groups.map((group) => group.actorCount)).toEqual([1, 5]);
  });

  it('keeps a group unread while any member is, and lists only unread groups when asked', async () => {
    const { ana } = await busyAna();
    const likes = await svc.notifications.listNotifications({ types: [T.NOTIFICATION_TYPE_LIKE] }, as(ana));
    // Every like but the oldest post like is read.
    const oldest = likes.notifications[likes.notifications.length - 1];
    const rest = likes.notifications.filter((n) => n.id !== oldest?.id).map((n) => n.id);
    expect((await svc.notifications.markNotificationsRead({ notificationIds: rest }, as(ana))).marked).toBe(5);

    const groups = await svc.notifications.listNotificationGroups({ types: [T.NOTIFICATION_TYPE_LIKE] }, as(ana));
    expect(groups.groups.map((group) => group.read)).toEqual([true, false]);
    const unread = await svc.notifications.listNotificationGroups(
      { types: [T.NOTIFICATION_TYPE_LIKE], unreadOnly: true },
      as(ana),
    );
    expect(unread.groups.map((group) => group.actorCount)).toEqual([5]);

    await svc.notifications.markNotificationsRead({ notificationIds: [oldest?.id ?? ''] }, as(ana));
    const none = await svc.notifications.listNotificationGroups({ unreadOnly: true }, as(ana));
    expect(none.groups.map((group) => group.type)).toEqual([
      T.NOTIFICATION_TYPE_COMMENT,
      T.NOTIFICATION_TYPE_SHARE,
      T.NOTIFICATION_TYPE_FOLLOW,
    ]);
  });

  it('moves a group to the top when it gains a member, and drops a deleted member', async () => {
    const { ana, postId } = await busyAna();
    const late = await registerUser(svc, 'late');
    await deliver(svc, { $case: 'postLiked', value: { postId, postAuthorId: ana.id, likerId: late.id, excerpt: '' } });
    const [top] = (await svc.notifications.listNotificationGroups({}, as(ana))).groups;
    expect(top).toMatchObject({ type: T.NOTIFICATION_TYPE_LIKE, actorCount: 6 });
    expect(top?.latestActors[0]?.id).toBe(late.id);

    await svc.notifications.deleteNotification({ notificationId: top?.latestNotificationId ?? '' }, as(ana));
    const groups = (await svc.notifications.listNotificationGroups({}, as(ana))).groups;
    expect(groups[0]?.type).toBe(T.NOTIFICATION_TYPE_COMMENT);
    expect(groups.find((group) => group.actorCount === 5)?.latestActors.map((a) => a.id)).not.toContain(late.id);
  });
});
