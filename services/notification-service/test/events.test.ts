/**
 * Events in: each user-service and post-service event notifies the right people with the
 * right type, never the actor themselves, never twice; deletions take notifications along.
 */
import { Channel } from '@wren/contracts/notification/v1/notification.js';
import { uuidv7 } from '@wren/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  as,
  deliver,
  event,
  followed,
  registerUser,
  registerUsers,
  startTestServices,
  summary,
  T,
  type TestServices,
  type TestUser,
} from './helpers.js';

describe('events become notifications', () => {
  let svc: TestServices;
  let ana: TestUser;
  let ben: TestUser;
  let cat: TestUser;
  let dan: TestUser;

  beforeAll(async () => {
    svc = await startTestServices();
  });
  afterAll(async () => {
    await svc?.stop();
  });

  // Fresh users per test, so each test sees only its own notifications.
  const fourUsers = async () => {
    [ana, ben, cat, dan] = await registerUsers(svc, ['ana', 'ben', 'cat', 'dan']);
  };

  it('notifies a follow once, with the follower from the replica, and never a self-follow', async () => {
    await fourUsers();
    await deliver(svc, followed(ben.id, ana.id));
    await deliver(svc, { $case: 'userUnfollowed', value: { followerId: ben.id, followeeId: ana.id } });
    await deliver(svc, followed(ben.id, ana.id));
    await deliver(svc, followed(ana.id, ana.id));

    expect(await summary(svc, ana)).toEqual([`FOLLOW ${ben.id} - -`]);
    const { notifications } = await svc.notifications.listNotifications({}, as(ana));
    expect(notifications[0]?.actor).toEqual({
      id: ben.id,
      username: ben.username,
      displayName: `${ben.username} shown`,
      avatarUrl: '',
    });
    expect(notifications[0]?.read).toBe(false);
    expect(await summary(svc, ben)).toEqual([]);
  });

  it('notifies post and comment likes to their authors, once across unlike and like again', async () => {
    await fourUsers();
    const postId = uuidv7();
    const commentId = uuidv7();
    const liked = { postId, postAuthorId: ana.id, likerId: ben.id, excerpt: 'ana’s post' };
    await deliver(svc, { $case: 'postLiked', value: liked }, { $case: 'postLiked', value: liked });
    await deliver(svc, { $case: 'postLiked', value: { ...liked, likerId: ana.id } });
    await deliver(svc, {
      $case: 'commentLiked',
      value: { commentId, postId, commentAuthorId: cat.id, likerId: ben.id, excerpt: 'cat’s comment' },
    });
    await deliver(svc, {
      $case: 'commentLiked',
      value: { commentId, postId, commentAuthorId: cat.id, likerId: cat.id, excerpt: 'cat’s comment' },
    });

    expect(await summary(svc, ana)).toEqual([`LIKE ${ben.id} ${postId} -`]);
    expect(await summary(svc, cat)).toEqual([`LIKE ${ben.id} ${postId} ${commentId}`]);
    const { notifications } = await svc.notifications.listNotifications({}, as(cat));
    expect(notifications[0]?.target?.excerpt).toBe('cat’s comment');
  });

  it('notifies a comment to the post author, a reply to the parent author, and mentions — one per person', async () => {
    await fourUsers();
    const postId = uuidv7();
    const parentId = uuidv7();
    const commentId = uuidv7();
    // Ben comments on Ana's post, mentioning Ana (a COMMENT already tells her: no MENTION
    // too), Cat, himself, and Cat again.
    await deliver(svc, {
      $case: 'commentCreated',
      value: {
        commentId: parentId,
        postId,
        postAuthorId: ana.id,
        authorId: ben.id,
        parentId: '',
        parentAuthorId: '',
        mentionedUserIds: [ana.id, cat.id, ben.id, cat.id],
        excerpt: 'hi @ana @cat',
      },
    });
    // Dan replies to Ben's comment; Ana replies to it too (her own post: no COMMENT for her).
    const reply = (id: string, authorId: string) => ({
      $case: 'commentCreated' as const,
      value: {
        commentId: id,
        postId,
        postAuthorId: ana.id,
        authorId,
        parentId,
        parentAuthorId: ben.id,
        mentionedUserIds: [],
        excerpt: 'a reply',
      },
    });
    await deliver(svc, reply(commentId, dan.id));
    const anaReply = uuidv7();
    await deliver(svc, reply(anaReply, ana.id));
    // Dan replies to Ana's reply, mentioning her: of reply, comment and mention, she gets
    // only the most specific.
    const toAna = uuidv7();
    await deliver(svc, {
      $case: 'commentCreated',
      value: { ...reply(toAna, dan.id).value, parentId: anaReply, parentAuthorId: ana.id, mentionedUserIds: [ana.id] },
    });

    expect((await summary(svc, ana)).sort()).toEqual(
      [
        `COMMENT ${ben.id} ${postId} ${parentId}`,
        `COMMENT ${dan.id} ${postId} ${commentId}`,
        `REPLY ${dan.id} ${postId} ${toAna}`,
      ].sort(),
    );
    expect(await summary(svc, cat)).toEqual([`MENTION ${ben.id} ${postId} ${parentId}`]);
    expect((await summary(svc, ben)).sort()).toEqual(
      [`REPLY ${dan.id} ${postId} ${commentId}`, `REPLY ${ana.id} ${postId} ${anaReply}`].sort(),
    );
    expect(await summary(svc, dan)).toEqual([]);
  });

  it('notifies post mentions and shares, never the author of the action', async () => {
    await fourUsers();
    const postId = uuidv7();
    await deliver(svc, {
      $case: 'postMentioned',
      value: { postId, authorId: ana.id, mentionedUserIds: [ben.id, ana.id, cat.id, ben.id], excerpt: 'hey @ben' },
    });
    const shared = { postId, postAuthorId: ana.id, sharerId: dan.id, quote: '', excerpt: 'hey @ben' };
    await deliver(svc, { $case: 'postShared', value: { ...shared, shareId: uuidv7() } });
    // Unshare and share again is a new share, still one notification.
    await deliver(svc, { $case: 'postShared', value: { ...shared, shareId: uuidv7() } });
    await deliver(svc, { $case: 'postShared', value: { ...shared, sharerId: ana.id, shareId: uuidv7() } });

    expect(await summary(svc, ben)).toEqual([`MENTION ${ana.id} ${postId} -`]);
    expect(await summary(svc, cat)).toEqual([`MENTION ${ana.id} ${postId} -`]);
    expect(await summary(svc, ana)).toEqual([`SHARE ${dan.id} ${postId} -`]);
  });

  it('applies a redelivered event id once', async () => {
    await fourUsers();
    const postId = uuidv7();
    const liked = event({ $case: 'postLiked', value: { postId, postAuthorId: ana.id, likerId: ben.id, excerpt: '' } });
    await deliver(svc, liked, liked);
    await deliver(svc, liked);
    expect(await summary(svc, ana)).toHaveLength(1);
    // Had the event been applied again after the post's deletion, the like would be back.
    await deliver(svc, { $case: 'postDeleted', value: { postId } });
    await deliver(svc, liked);
    expect(await summary(svc, ana)).toEqual([]);
    const seen = await svc.db.selectFrom('processed_events').selectAll().where('event_id', '=', liked.id).execute();
    expect(seen).toHaveLength(1);
  });

  it('takes a deleted post’s and a deleted comment’s notifications with them', async () => {
    await fourUsers();
    const [doomed, kept, commentA, commentB] = [uuidv7(), uuidv7(), uuidv7(), uuidv7()];
    const comment = (commentId: string, postId: string) => ({
      $case: 'commentCreated' as const,
      value: {
        commentId,
        postId,
        postAuthorId: ana.id,
        authorId: ben.id,
        parentId: '',
        parentAuthorId: '',
        mentionedUserIds: [],
        excerpt: 'c',
      },
    });
    await deliver(
      svc,
      { $case: 'postLiked', value: { postId: doomed, postAuthorId: ana.id, likerId: ben.id, excerpt: '' } },
      { $case: 'postLiked', value: { postId: kept, postAuthorId: ana.id, likerId: ben.id, excerpt: '' } },
      comment(commentA, doomed),
      comment(commentB, kept),
      {
        $case: 'commentLiked',
        value: { commentId: commentA, postId: doomed, commentAuthorId: cat.id, likerId: dan.id, excerpt: '' },
      },
    );
    expect(await summary(svc, ana)).toHaveLength(4);

    await deliver(svc, { $case: 'postDeleted', value: { postId: doomed } });
    expect((await summary(svc, ana)).sort()).toEqual(
      [`LIKE ${ben.id} ${kept} -`, `COMMENT ${ben.id} ${kept} ${commentB}`].sort(),
    );
    expect(await summary(svc, cat)).toEqual([]);

    await deliver(svc, { $case: 'commentDeleted', value: { commentId: commentB, postId: kept } });
    expect(await summary(svc, ana)).toEqual([`LIKE ${ben.id} ${kept} -`]);
  });

  it('forgets a deleted account: its notifications either way, its preferences, push destinations and profile', async () => {
    await fourUsers();
    const postId = uuidv7();
    await deliver(
      svc,
      { $case: 'postLiked', value: { postId, postAuthorId: ana.id, likerId: ben.id, excerpt: '' } },
      { $case: 'postLiked', value: { postId, postAuthorId: ana.id, likerId: cat.id, excerpt: '' } },
      followed(ana.id, ben.id),
    );
    await svc.notifications.updatePreferences(
      { preferences: [{ type: T.NOTIFICATION_TYPE_LIKE, channel: Channel.CHANNEL_WEB_PUSH, enabled: false }] },
      as(ben),
    );
    const token = `ExponentPushToken[${ben.id.slice(-8)}-gone]`;
    await svc.push.registerExpoPushToken({ token }, as(ben));

    await deliver(svc, { $case: 'userDeleted', value: { userId: ben.id } });
    // The device is free for another account again.
    expect(await svc.db.selectFrom('expo_push_tokens').select('token').where('token', '=', token).execute()).toEqual(
      [],
    );
    expect(await summary(svc, ana)).toEqual([`LIKE ${cat.id} ${postId} -`]);
    const left = await svc.db.selectFrom('notifications').select('id').where('recipient_id', '=', ben.id).execute();
    expect(left).toEqual([]);
    expect(await svc.db.selectFrom('actors').select('id').where('id', '=', ben.id).execute()).toEqual([]);
    expect(
      await svc.db.selectFrom('disabled_preferences').select('type').where('user_id', '=', ben.id).execute(),
    ).toEqual([]);
    // A like by the deleted account that post-service published just before is no news.
    await deliver(svc, {
      $case: 'postLiked',
      value: { postId: uuidv7(), postAuthorId: ana.id, likerId: ben.id, excerpt: '' },
    });
    expect(await summary(svc, ana)).toHaveLength(1);
  });

  it('shows an actor the replica does not know with empty names, and a profile update when it comes', async () => {
    await fourUsers();
    const ghost = await registerUser(svc, 'ghost', { replica: false });
    await deliver(svc, followed(ghost.id, ana.id));
    const before = await svc.notifications.listNotifications({}, as(ana));
    expect(before.notifications[0]?.actor).toEqual({ id: ghost.id, username: '', displayName: '', avatarUrl: '' });

    await deliver(svc, {
      $case: 'userProfileUpdated',
      value: {
        profile: { userId: ghost.id, username: ghost.username, displayName: 'Ghost', avatarUrl: 'https://a/x.png' },
      },
    });
    const after = await svc.notifications.listNotifications({}, as(ana));
    expect(after.notifications[0]?.actor).toMatchObject({ displayName: 'Ghost', avatarUrl: 'https://a/x.png' });
  });

  it('stores a long excerpt cut at 100 graphemes, and skips malformed ids without blocking the batch', async () => {
    await fourUsers();
    const family = '👨‍👩‍👧';
    const postId = uuidv7();
    await deliver(
      svc,
      { $case: 'postLiked', value: { postId: 'not-a-uuid', postAuthorId: ana.id, likerId: ben.id, excerpt: '' } },
      { $case: 'postDeleted', value: { postId: 'garbage' } },
      {
        $case: 'postShared',
        value: { shareId: '', postId: '', postAuthorId: ana.id, sharerId: ben.id, quote: '', excerpt: '' },
      },
      { $case: 'postLiked', value: { postId, postAuthorId: ana.id, likerId: ben.id, excerpt: family.repeat(150) } },
    );
    const { notifications } = await svc.notifications.listNotifications({}, as(ana));
    expect(notifications).toHaveLength(1);
    const excerpt = notifications[0]?.target?.excerpt ?? '';
    const graphemes = [...new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(excerpt)];
    expect(graphemes).toHaveLength(100);
    expect(excerpt.endsWith(`${family}…`)).toBe(true);
  });
});
