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

const commentCount = async (postId: string) => (await svc.posts.getPost({ postId }, as(ann))).post?.counts?.comments;

describe('CreateComment and ListComments', () => {
  it('adds comments and replies, keeps counts, lists oldest first with replies carrying their parent', async () => {
    const post = await newPost(svc, ann);
    const c1 = await newComment(svc, bob, post.id, '  first  ');
    expect(c1).toMatchObject({
      postId: post.id,
      parentId: '',
      text: 'first',
      author: { id: bob.id, username: bob.username },
      likeCount: 0,
      replyCount: 0,
      likedByViewer: false,
    });
    const r1 = await newComment(svc, eve, post.id, 'reply', c1.id);
    const c2 = await newComment(svc, ann, post.id, 'second');
    const r2 = await newComment(svc, ann, post.id, 'reply to reply', r1.id);
    expect(r1.parentId).toBe(c1.id);
    expect(await commentCount(post.id)).toBe(4);

    const all = await svc.comments.listComments({ postId: post.id });
    expect(all.comments.map((c) => c.id)).toEqual([c1.id, r1.id, c2.id, r2.id]);
    expect(all.comments.map((c) => c.replyCount)).toEqual([1, 1, 0, 0]);

    const replies = await svc.comments.listComments({ postId: post.id, parentId: c1.id }, as(eve));
    expect(replies.comments.map((c) => c.id)).toEqual([r1.id]);

    const page1 = await svc.comments.listComments({ postId: post.id, pageSize: 3 });
    expect(page1.comments.map((c) => c.id)).toEqual([c1.id, r1.id, c2.id]);
    const page2 = await svc.comments.listComments({ postId: post.id, pageSize: 3, pageToken: page1.nextPageToken });
    expect(page2.comments.map((c) => c.id)).toEqual([r2.id]);
    expect(page2.nextPageToken).toBe('');
  });

  it('refuses a parent that is not a comment of the same post', async () => {
    const post = await newPost(svc, ann);
    const other = await newPost(svc, ann);
    const elsewhere = await newComment(svc, bob, other.id);
    for (const parentId of [elsewhere.id, '01890a5d-ac96-774b-bcce-b302099a8057']) {
      await expectGrpcError(
        svc.comments.createComment({ postId: post.id, text: 'x', parentId }, as(bob)),
        Status.INVALID_ARGUMENT,
        {
          fields: ['parent_id'],
        },
      );
    }
    await expectGrpcError(
      svc.comments.createComment({ postId: post.id, text: 'x', parentId: 'nope' }, as(bob)),
      Status.INVALID_ARGUMENT,
      {
        fields: ['parent_id'],
      },
    );
    await expectGrpcError(svc.comments.listComments({ postId: post.id, parentId: elsewhere.id }), Status.NOT_FOUND);
    expect(await commentCount(post.id)).toBe(0);
    expect(await commentCount(other.id)).toBe(1);
  });

  it('is only possible on posts the caller can see', async () => {
    const closed = await newPost(svc, ann, 'friends', FOLLOWERS);
    await expectGrpcError(
      svc.comments.createComment({ postId: closed.id, text: 'hi', parentId: '' }, as(eve)),
      Status.NOT_FOUND,
    );
    await expectGrpcError(svc.comments.listComments({ postId: closed.id }, as(eve)), Status.NOT_FOUND);
    await expectGrpcError(svc.comments.listComments({ postId: closed.id }), Status.NOT_FOUND);
    const mine = await newComment(svc, bob, closed.id, 'as a follower');
    expect((await svc.comments.listComments({ postId: closed.id }, as(bob))).comments.map((c) => c.id)).toEqual([
      mine.id,
    ]);
  });

  it('checks text and ids', async () => {
    const post = await newPost(svc, ann);
    await expectGrpcError(
      svc.comments.createComment({ postId: post.id, text: '\t', parentId: '' }, as(bob)),
      Status.INVALID_ARGUMENT,
      {
        fields: ['text'],
      },
    );
    await expectGrpcError(
      svc.comments.createComment({ postId: 'bad', text: '', parentId: '' }, as(bob)),
      Status.INVALID_ARGUMENT,
      {
        fields: ['post_id', 'text'],
      },
    );
    await expectGrpcError(
      svc.comments.listComments({ postId: post.id, pageToken: 'garbage!' }),
      Status.INVALID_ARGUMENT,
      {
        fields: ['page_token'],
      },
    );
  });
});

describe('UpdateComment', () => {
  it('lets the comment author edit and nobody else', async () => {
    const post = await newPost(svc, ann);
    const comment = await newComment(svc, bob, post.id, 'tpyo');
    const { comment: edited } = await svc.comments.updateComment({ commentId: comment.id, text: 'typo' }, as(bob));
    expect(edited).toMatchObject({ id: comment.id, text: 'typo' });
    expect(edited?.editedAt).toBeInstanceOf(Date);
    await expectGrpcError(
      svc.comments.updateComment({ commentId: comment.id, text: 'mine now' }, as(ann)),
      Status.PERMISSION_DENIED,
      {
        reason: 'NOT_COMMENT_AUTHOR',
      },
    );
    await expectGrpcError(
      svc.comments.updateComment({ commentId: comment.id, text: 'mine now' }, as(eve)),
      Status.PERMISSION_DENIED,
    );
    const closed = await newPost(svc, ann, 'friends', FOLLOWERS);
    const hidden = await newComment(svc, bob, closed.id);
    await expectGrpcError(svc.comments.updateComment({ commentId: hidden.id, text: 'x' }, as(eve)), Status.NOT_FOUND);
    expect((await svc.comments.listComments({ postId: post.id })).comments[0]?.text).toBe('typo');
  });
});

describe('DeleteComment', () => {
  it('lets the comment author or the post author delete; replies go with it; counts follow', async () => {
    const post = await newPost(svc, ann);
    const c1 = await newComment(svc, bob, post.id);
    const r1 = await newComment(svc, eve, post.id, 'reply', c1.id);
    await newComment(svc, bob, post.id, 'reply to reply', r1.id);
    const c2 = await newComment(svc, eve, post.id);
    const c3 = await newComment(svc, bob, post.id);
    expect(await commentCount(post.id)).toBe(5);

    await expectGrpcError(svc.comments.deleteComment({ commentId: c2.id }, as(bob)), Status.PERMISSION_DENIED);
    await svc.comments.deleteComment({ commentId: c2.id }, as(eve));
    expect(await commentCount(post.id)).toBe(4);

    await svc.comments.deleteComment({ commentId: r1.id }, as(ann));
    expect(await commentCount(post.id)).toBe(2);
    const left = await svc.comments.listComments({ postId: post.id });
    expect(left.comments.map((c) => [c.id, c.replyCount])).toEqual([
      [c1.id, 0],
      [c3.id, 0],
    ]);
    await expectGrpcError(svc.comments.deleteComment({ commentId: r1.id }, as(ann)), Status.NOT_FOUND);
    await svc.comments.deleteComment({ commentId: c1.id }, as(bob));
    expect(await commentCount(post.id)).toBe(1);
  });

  it('answers NOT_FOUND when the caller cannot see the post', async () => {
    const closed = await newPost(svc, ann, 'friends', FOLLOWERS);
    const comment = await newComment(svc, bob, closed.id);
    await expectGrpcError(svc.comments.deleteComment({ commentId: comment.id }, as(eve)), Status.NOT_FOUND);
    await expectGrpcError(svc.comments.deleteComment({ commentId: 'x' }, as(eve)), Status.INVALID_ARGUMENT, {
      fields: ['comment_id'],
    });
  });
});
