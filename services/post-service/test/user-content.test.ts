import { purgeExpiredIdempotencyKeys, Status } from '@wren/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteAllContentOf } from '../src/domain/user-content.js';
import {
  as,
  expectGrpcError,
  follow,
  newComment,
  newPost,
  PUBLIC,
  registerUser,
  startTestServices,
  type TestServices,
} from './helpers.js';

let svc: TestServices;

beforeAll(async () => {
  svc = await startTestServices();
});

afterAll(async () => {
  await svc?.stop();
});

describe('deleteAllContentOf', () => {
  it("removes the user's posts, comments, likes and shares and fixes other people's counts", async () => {
    const ann = await registerUser(svc, 'ann');
    const bob = await registerUser(svc, 'bob');
    const carl = await registerUser(svc, 'carl');
    await follow(svc, ann, bob);

    // bob's content, to be deleted
    const bobPost = await newPost(svc, bob, 'bob post');
    await svc.reactions.likePost({ postId: bobPost.id }, as(ann));
    await newComment(svc, ann, bobPost.id);
    await svc.reactions.sharePost({ postId: bobPost.id, quote: '' }, as(ann));
    // ann's post with bob's activity on it, which must vanish from its counts
    const annPost = await newPost(svc, ann, `ann post @${bob.username}`, PUBLIC);
    const annComment = await newComment(svc, ann, annPost.id, 'ann comment');
    const bobReply = await newComment(svc, bob, annPost.id, 'bob reply', annComment.id);
    await newComment(svc, carl, annPost.id, 'carl under bob', bobReply.id);
    await newComment(svc, carl, annPost.id, 'carl top');
    await svc.reactions.likePost({ postId: annPost.id }, as(bob));
    await svc.reactions.likePost({ postId: annPost.id }, as(carl));
    await svc.reactions.likeComment({ commentId: annComment.id }, as(bob));
    await svc.reactions.sharePost({ postId: annPost.id, quote: 'bob shares' }, as(bob));
    await svc.reactions.sharePost({ postId: annPost.id, quote: '' }, as(carl));
    await svc.posts.createPost({ text: 'keyed', visibility: PUBLIC }, as(bob, 'bob-key'));
    const before = (await svc.posts.getPost({ postId: annPost.id })).post;
    expect(before?.counts).toEqual({ likes: 2, comments: 4, shares: 2 });
    expect(before?.mentions.map((m) => m.userId)).toEqual([bob.id]);

    const deleted = await svc.db.transaction().execute((trx) => deleteAllContentOf(trx, bob.id));
    expect(deleted).toEqual({ posts: 2, comments: 1, likes: 1, commentLikes: 1, shares: 1 });

    await expectGrpcError(svc.posts.getPost({ postId: bobPost.id }), Status.NOT_FOUND);
    const after = (await svc.posts.getPost({ postId: annPost.id }, as(ann))).post;
    // bob's reply went, and carl's reply under it with it
    expect(after?.counts).toEqual({ likes: 1, comments: 2, shares: 1 });
    expect(after?.viewer).toEqual({ liked: false, shared: false });
    expect(after?.mentions).toEqual([]);
    const comments = (await svc.comments.listComments({ postId: annPost.id })).comments;
    expect(comments.map((c) => [c.text, c.replyCount, c.likeCount])).toEqual([
      ['ann comment', 0, 0],
      ['carl top', 0, 0],
    ]);
    const home = await svc.posts.getHomeTimeline({}, as(ann));
    expect(home.items.map((entry) => entry.item?.value.id)).toEqual([annPost.id]);
    for (const table of ['posts', 'feed_items'] as const) {
      const column = table === 'posts' ? 'author_id' : 'actor_id';
      expect(await svc.db.selectFrom(table).select('id').where(column, '=', bob.id).execute()).toEqual([]);
    }
    const keys = await svc.db
      .selectFrom('idempotency_keys' as never)
      .select('key' as never)
      .where('user_id' as never, '=', bob.id as never)
      .execute();
    expect(keys).toEqual([]);
  });

  it('does nothing for a user without content', async () => {
    const quiet = await registerUser(svc, 'quiet');
    const deleted = await svc.db.transaction().execute((trx) => deleteAllContentOf(trx, quiet.id));
    expect(deleted).toEqual({ posts: 0, comments: 0, likes: 0, commentLikes: 0, shares: 0 });
  });
});

describe('purgeExpiredIdempotencyKeys', () => {
  it('removes expired keys only', async () => {
    const dan = await registerUser(svc, 'dan');
    await svc.posts.createPost({ text: 'a', visibility: PUBLIC }, as(dan, 'fresh'));
    await svc.posts.createPost({ text: 'b', visibility: PUBLIC }, as(dan, 'expired'));
    await svc.db
      .updateTable('idempotency_keys' as never)
      .set({ expires_at: new Date(Date.now() - 1).toISOString() } as never)
      .where('key' as never, '=', 'expired' as never)
      .execute();
    expect(await purgeExpiredIdempotencyKeys(svc.db)).toBe(1);
    const left = await svc.db
      .selectFrom('idempotency_keys' as never)
      .select('key' as never)
      .where('user_id' as never, '=', dan.id as never)
      .execute();
    expect(left).toEqual([{ key: 'fresh' }]);
  });
});
