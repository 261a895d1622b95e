import { Status } from '@wren/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  as,
  expectGrpcError,
  FOLLOWERS,
  follow,
  newComment,
  newPost,
  registerUser,
  startTestServices,
  type TestServices,
  type TestUser,
  tick,
} from './helpers.js';

let svc: TestServices;
let ann: TestUser;
let bob: TestUser;
let eve: TestUser;

beforeAll(async () => {
  svc = await startTestServices();
  ann = await registerUser(svc, 'ann');
  bob = await registerUser(svc, 'bob');
  eve = await registerUser(svc, 'eve');
  await follow(svc, bob, ann);
});

afterAll(async () => {
  await svc?.stop();
});

describe('LikePost and UnlikePost', () => {
  it('are idempotent and keep the count right through like, like, unlike, unlike, like', async () => {
    const post = await newPost(svc, ann);
    expect((await svc.reactions.likePost({ postId: post.id }, as(bob))).counts).toEqual({
      likes: 1,
      comments: 0,
      shares: 0,
    });
    expect((await svc.reactions.likePost({ postId: post.id }, as(bob))).counts?.likes).toBe(1);
    expect((await svc.reactions.likePost({ postId: post.id }, as(eve))).counts?.likes).toBe(2);
    expect((await svc.reactions.unlikePost({ postId: post.id }, as(bob))).counts?.likes).toBe(1);
    expect((await svc.reactions.unlikePost({ postId: post.id }, as(bob))).counts?.likes).toBe(1);
    expect((await svc.reactions.likePost({ postId: post.id }, as(bob))).counts?.likes).toBe(2);
    const seen = await svc.posts.getPost({ postId: post.id }, as(bob));
    expect(seen.post?.viewer).toEqual({ liked: true, shared: false });
    expect((await svc.posts.getPost({ postId: post.id }, as(ann))).post?.viewer?.liked).toBe(false);
    expect((await svc.posts.getPost({ postId: post.id })).post?.counts?.likes).toBe(2);
  });

  it('concurrent likes by one user count once', async () => {
    const post = await newPost(svc, ann);
    await Promise.all(Array.from({ length: 8 }, () => svc.reactions.likePost({ postId: post.id }, as(eve))));
    expect((await svc.posts.getPost({ postId: post.id })).post?.counts?.likes).toBe(1);
  });

  it('lists likers newest first with a cursor', async () => {
    const post = await newPost(svc, ann);
    const likers = [ann, bob, eve];
    for (const user of likers) {
      await svc.reactions.likePost({ postId: post.id }, as(user));
      await tick(); // distinct millisecond timestamps, so the expected order is certain
    }
    const first = await svc.reactions.listPostLikes({ postId: post.id, pageSize: 2 });
    expect(first.likes.map((like) => like.user?.id)).toEqual([eve.id, bob.id]);
    expect(first.likes[0]?.user?.username).toBe(eve.username);
    expect(first.likes[0]?.likedAt).toBeInstanceOf(Date);
    const second = await svc.reactions.listPostLikes({ postId: post.id, pageSize: 2, pageToken: first.nextPageToken });
    expect(second.likes.map((like) => like.user?.id)).toEqual([ann.id]);
    expect(second.nextPageToken).toBe('');
  });

  it('refuse posts the caller cannot see', async () => {
    const closed = await newPost(svc, ann, 'friends', FOLLOWERS);
    await expectGrpcError(svc.reactions.likePost({ postId: closed.id }, as(eve)), Status.NOT_FOUND);
    await expectGrpcError(svc.reactions.unlikePost({ postId: closed.id }, as(eve)), Status.NOT_FOUND);
    await expectGrpcError(svc.reactions.listPostLikes({ postId: closed.id }, as(eve)), Status.NOT_FOUND);
    await expectGrpcError(svc.reactions.listPostLikes({ postId: closed.id }), Status.NOT_FOUND);
    expect((await svc.reactions.likePost({ postId: closed.id }, as(bob))).counts?.likes).toBe(1);
    await expectGrpcError(svc.reactions.likePost({ postId: 'zz' }, as(bob)), Status.INVALID_ARGUMENT, {
      fields: ['post_id'],
    });
    await expectGrpcError(
      svc.reactions.listPostLikes({ postId: closed.id, pageToken: 'WyJ4Il0' }, as(bob)),
      Status.INVALID_ARGUMENT,
      {
        fields: ['page_token'],
      },
    );
  });
});

describe('LikeComment and UnlikeComment', () => {
  it('are idempotent, keep like_count and set likedByViewer', async () => {
    const post = await newPost(svc, ann);
    const comment = await newComment(svc, bob, post.id);
    expect((await svc.reactions.likeComment({ commentId: comment.id }, as(ann))).likeCount).toBe(1);
    expect((await svc.reactions.likeComment({ commentId: comment.id }, as(ann))).likeCount).toBe(1);
    expect((await svc.reactions.likeComment({ commentId: comment.id }, as(eve))).likeCount).toBe(2);
    expect((await svc.reactions.unlikeComment({ commentId: comment.id }, as(eve))).likeCount).toBe(1);
    expect((await svc.reactions.unlikeComment({ commentId: comment.id }, as(eve))).likeCount).toBe(1);
    const listed = await svc.comments.listComments({ postId: post.id }, as(ann));
    expect(listed.comments[0]).toMatchObject({ likeCount: 1, likedByViewer: true });
    expect((await svc.comments.listComments({ postId: post.id }, as(eve))).comments[0]?.likedByViewer).toBe(false);
  });

  it('refuse comments on posts the caller cannot see', async () => {
    const closed = await newPost(svc, ann, 'friends', FOLLOWERS);
    const comment = await newComment(svc, bob, closed.id);
    await expectGrpcError(svc.reactions.likeComment({ commentId: comment.id }, as(eve)), Status.NOT_FOUND);
    await expectGrpcError(svc.reactions.likeComment({ commentId: 'nope' }, as(eve)), Status.INVALID_ARGUMENT, {
      fields: ['comment_id'],
    });
  });
});

describe('SharePost and UnsharePost', () => {
  it('shares once per user and post: a second share returns the first unchanged', async () => {
    const post = await newPost(svc, ann, 'worth sharing');
    const { share } = await svc.reactions.sharePost({ postId: post.id, quote: ' so true ' }, as(eve));
    expect(share).toMatchObject({
      quote: 'so true',
      sharer: { id: eve.id, username: eve.username },
      post: { id: post.id, text: 'worth sharing', counts: { shares: 1 }, viewer: { shared: true } },
    });
    const again = await svc.reactions.sharePost({ postId: post.id, quote: 'different' }, as(eve));
    expect(again.share?.id).toBe(share?.id);
    expect(again.share?.quote).toBe('so true');
    expect(again.share?.post?.counts?.shares).toBe(1);
    const plain = await svc.reactions.sharePost({ postId: post.id, quote: '' }, as(bob));
    expect(plain.share?.quote).toBe('');
    expect(plain.share?.post?.counts?.shares).toBe(2);
  });

  it('unshares idempotently and keeps the count', async () => {
    const post = await newPost(svc, ann);
    await svc.reactions.sharePost({ postId: post.id, quote: '' }, as(bob));
    expect((await svc.reactions.unsharePost({ postId: post.id }, as(bob))).counts?.shares).toBe(0);
    expect((await svc.reactions.unsharePost({ postId: post.id }, as(bob))).counts?.shares).toBe(0);
    expect((await svc.reactions.sharePost({ postId: post.id, quote: '' }, as(bob))).share?.post?.counts?.shares).toBe(
      1,
    );
    const feed = await svc.db.selectFrom('feed_items').select('id').where('post_id', '=', post.id).execute();
    expect(feed).toHaveLength(2); // the post and one share
  });

  it('refuses a followers-only post of someone else, allows one of your own', async () => {
    const closed = await newPost(svc, ann, 'friends', FOLLOWERS);
    await expectGrpcError(
      svc.reactions.sharePost({ postId: closed.id, quote: '' }, as(bob)),
      Status.FAILED_PRECONDITION,
      {
        reason: 'POST_NOT_SHAREABLE',
      },
    );
    await expectGrpcError(svc.reactions.sharePost({ postId: closed.id, quote: '' }, as(eve)), Status.NOT_FOUND);
    const own = await svc.reactions.sharePost({ postId: closed.id, quote: 'again' }, as(ann));
    expect(own.share?.post?.counts?.shares).toBe(1);
    await expectGrpcError(svc.reactions.unsharePost({ postId: closed.id }, as(eve)), Status.NOT_FOUND);
  });

  it('checks the quote and the id', async () => {
    const post = await newPost(svc, ann);
    for (const quote of ['  ', 'x'.repeat(501), 'a\u0007b']) {
      await expectGrpcError(svc.reactions.sharePost({ postId: post.id, quote }, as(bob)), Status.INVALID_ARGUMENT, {
        fields: ['quote'],
      });
    }
    await expectGrpcError(svc.reactions.sharePost({ postId: 'x', quote: '\t' }, as(bob)), Status.INVALID_ARGUMENT, {
      fields: ['post_id', 'quote'],
    });
    expect((await svc.posts.getPost({ postId: post.id })).post?.counts?.shares).toBe(0);
  });
});
