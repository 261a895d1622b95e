/**
 * The whole path, no events made by hand: actions on user-service and post-service reach
 * notification-service through both outbox relays (startSystem wires them as npm start
 * does), and the recipient's list shows them.
 */
import { NotificationType } from '@wren/contracts/notification/v1/notification.js';
import { NotificationServiceDefinition } from '@wren/contracts/notification/v1/notification_service.js';
import { CommentServiceDefinition } from '@wren/contracts/post/v1/comment_service.js';
import { Visibility } from '@wren/contracts/post/v1/post.js';
import { PostServiceDefinition } from '@wren/contracts/post/v1/post_service.js';
import { ReactionServiceDefinition } from '@wren/contracts/post/v1/reaction_service.js';
import { AuthServiceDefinition } from '@wren/contracts/user/v1/auth_service.js';
import { FollowServiceDefinition } from '@wren/contracts/user/v1/follow_service.js';
import { createClientPool } from '@wren/platform';
import { eventually } from '@wren/testkit';
import { startSystem, type TestSystem } from '@wren/testkit/system';
import { Metadata } from 'nice-grpc';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const PASSWORD = 'correct horse battery';
const bearer = (token: string) => ({ metadata: Metadata({ authorization: `Bearer ${token}` }) });

describe('events from user- and post-service become notifications', () => {
  let system: TestSystem;
  const pool = createClientPool({ defaultDeadlineMs: 10_000 });

  beforeAll(async () => {
    system = await startSystem();
  });
  afterAll(async () => {
    pool.close();
    await system.stop();
  });

  const register = async (username: string) => {
    const auth = pool.client(AuthServiceDefinition, system.userServiceAddr);
    const response = await auth.register({ username, email: `${username}@example.com`, password: PASSWORD });
    return { id: response.account?.id ?? '', token: response.tokens?.accessToken ?? '' };
  };

  it('notifies a follow, a like (once, after unlike and like again), a comment, a reply and a mention', async () => {
    const ana = await register('pipe_ana');
    const ben = await register('pipe_ben');
    const posts = pool.client(PostServiceDefinition, system.postServiceAddr);
    const reactions = pool.client(ReactionServiceDefinition, system.postServiceAddr);
    const comments = pool.client(CommentServiceDefinition, system.postServiceAddr);
    const notifications = pool.client(NotificationServiceDefinition, system.notificationServiceAddr);

    await pool
      .client(FollowServiceDefinition, system.userServiceAddr)
      .follow({ username: 'pipe_ana' }, bearer(ben.token));
    const { post } = await posts.createPost(
      { text: 'ana writes', visibility: Visibility.VISIBILITY_PUBLIC },
      bearer(ana.token),
    );
    const postId = post?.id ?? '';
    await reactions.likePost({ postId }, bearer(ben.token));
    await reactions.unlikePost({ postId }, bearer(ben.token));
    await reactions.likePost({ postId }, bearer(ben.token));
    const { comment } = await comments.createComment({ postId, text: 'ben comments' }, bearer(ben.token));
    // Mentioning Ben in the reply to him is one action: one REPLY, not a MENTION as well.
    await comments.createComment(
      { postId, text: 'ana replies @pipe_ben', parentId: comment?.id ?? '' },
      bearer(ana.token),
    );
    await posts.createPost({ text: 'thanks @pipe_ben', visibility: Visibility.VISIBILITY_PUBLIC }, bearer(ana.token));

    const types = (list: { type: NotificationType }[]) => list.map((n) => n.type).sort();
    const forAna = async () => (await notifications.listNotifications({}, bearer(ana.token))).notifications;
    const forBen = async () => (await notifications.listNotifications({}, bearer(ben.token))).notifications;
    await eventually(async () => (await forAna()).length >= 3 && (await forBen()).length >= 2, 10_000);
    await new Promise((resolve) => setTimeout(resolve, 300));

    const anas = await forAna();
    expect(types(anas)).toEqual(
      [
        NotificationType.NOTIFICATION_TYPE_FOLLOW,
        NotificationType.NOTIFICATION_TYPE_LIKE,
        NotificationType.NOTIFICATION_TYPE_COMMENT,
      ].sort(),
    );
    expect(anas.every((n) => n.actor?.username === 'pipe_ben' && !n.read)).toBe(true);
    expect(anas.find((n) => n.type === NotificationType.NOTIFICATION_TYPE_LIKE)?.target).toMatchObject({
      postId,
      excerpt: 'ana writes',
    });
    expect(types(await forBen())).toEqual(
      [NotificationType.NOTIFICATION_TYPE_REPLY, NotificationType.NOTIFICATION_TYPE_MENTION].sort(),
    );
    expect((await notifications.getUnreadCount({}, bearer(ana.token))).count).toBe(3);

    // Deleting the post takes its notifications with it.
    await posts.deletePost({ postId }, bearer(ana.token));
    await eventually(async () => (await forAna()).length === 1, 5000);
    expect((await forAna())[0]?.type).toBe(NotificationType.NOTIFICATION_TYPE_FOLLOW);
  });
});
