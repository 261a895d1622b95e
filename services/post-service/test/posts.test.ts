import { Status } from '@wren/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  as,
  expectGrpcError,
  FOLLOWERS,
  follow,
  newPost,
  PUBLIC,
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

describe('CreatePost', () => {
  it('stores trimmed text with author, counts, mentions of known users and hashtags', async () => {
    const { post } = await svc.posts.createPost(
      { text: `  Hi @${bob.username.toUpperCase()} and @nobody_here #Wren #wren #Café  `, visibility: PUBLIC },
      as(ann),
    );
    expect(post).toMatchObject({
      text: `Hi @${bob.username.toUpperCase()} and @nobody_here #Wren #wren #Café`,
      visibility: PUBLIC,
      author: { id: ann.id, username: ann.username, displayName: `${ann.username} shown` },
      counts: { likes: 0, comments: 0, shares: 0 },
      viewer: { liked: false, shared: false },
      mentions: [{ userId: bob.id, username: bob.username }],
      hashtags: ['wren', 'café'],
      editedAt: undefined,
    });
    expect(post?.createdAt).toBeInstanceOf(Date);
    const stored = await svc.db
      .selectFrom('post_hashtags')
      .select('tag')
      .where('post_id', '=', post?.id ?? '')
      .execute();
    expect(stored.map((row) => row.tag).sort()).toEqual(['café', 'wren']);
  });

  it('answers with the post exactly as it is read back, from the post and from timelines', async () => {
    // The answer is made before the post is written (one statement, nothing read after):
    // it must be what every later read shows the author.
    const { post } = await svc.posts.createPost(
      { text: `Read me back @${bob.username} @${eve.username} #one #two`, visibility: FOLLOWERS },
      as(ann),
    );
    const read = await svc.posts.getPost({ postId: post?.id ?? '' }, as(ann));
    expect(read.post).toEqual(post);
    const home = await svc.posts.getHomeTimeline({ pageSize: 5, pageToken: '' }, as(ann));
    const item = home.items.find((entry) => entry.item?.$case === 'post' && entry.item.value.id === post?.id);
    expect(item?.item?.value).toEqual(post);
    const mentions = await svc.db
      .selectFrom('post_mentions')
      .select(['user_id', 'position'])
      .where('post_id', '=', post?.id ?? '')
      .orderBy('position')
      .execute();
    expect(mentions).toEqual([
      { user_id: bob.id, position: 0 },
      { user_id: eve.id, position: 1 },
    ]);
  });
  it('counts length in user-perceived characters', async () => {
    const family = '👨‍👩‍👧‍👦';
    const post = await newPost(svc, ann, family.repeat(500));
    expect(post.text).toBe(family.repeat(500));
    await expectGrpcError(
      svc.posts.createPost({ text: family.repeat(501), visibility: PUBLIC }, as(ann)),
      Status.INVALID_ARGUMENT,
      {
        fields: ['text'],
      },
    );
  });

  it('refuses bad text and an unspecified visibility, all fields at once, writing nothing', async () => {
    const before = await svc.db
      .selectFrom('posts')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    for (const text of ['', '   \n ', 'x'.repeat(501), 'tab\there', 'nul\u0000', 'esc\u001b[31m']) {
      await expectGrpcError(svc.posts.createPost({ text, visibility: PUBLIC }, as(ann)), Status.INVALID_ARGUMENT, {
        fields: ['text'],
      });
    }
    await expectGrpcError(
      svc.posts.createPost({ text: 'ok', visibility: 'VISIBILITY_UNSPECIFIED' as never }, as(ann)),
      Status.INVALID_ARGUMENT,
      {
        fields: ['visibility'],
      },
    );
    await expectGrpcError(
      svc.posts.createPost({ text: '', visibility: 'VISIBILITY_UNSPECIFIED' as never }, as(ann)),
      Status.INVALID_ARGUMENT,
      {
        fields: ['text', 'visibility'],
      },
    );
    const after = await svc.db
      .selectFrom('posts')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
  });

  it('needs a caller', async () => {
    await expectGrpcError(svc.posts.createPost({ text: 'anon', visibility: PUBLIC }), Status.UNAUTHENTICATED, {
      reason: 'MISSING_TOKEN',
    });
  });

  it('learns a caller the replica does not know yet from user-service, without overwriting', async () => {
    const fresh = await registerUser(svc, 'fresh', { replica: false });
    const post = await newPost(svc, fresh, 'first!');
    expect(post.author).toEqual({ id: fresh.id, username: fresh.username, displayName: '', avatarUrl: '' });
    const row = await svc.db.selectFrom('authors').selectAll().where('id', '=', fresh.id).executeTakeFirstOrThrow();
    expect(row.username).toBe(fresh.username);
  });

  it('answers UNAUTHENTICATED when neither the replica nor user-service knows the caller', async () => {
    const gone = await registerUser(svc, 'gone', { replica: false });
    await svc.auth.deleteAccount({ password: 'correct horse battery' }, as(gone));
    await expectGrpcError(
      svc.posts.createPost({ text: 'ghost', visibility: PUBLIC }, as(gone)),
      Status.UNAUTHENTICATED,
    );
    const rows = await svc.db.selectFrom('posts').select('id').where('author_id', '=', gone.id).execute();
    expect(rows).toEqual([]);
  });
});

describe('GetPost', () => {
  it('shows a public post to anyone, anonymous callers included', async () => {
    const post = await newPost(svc, ann, 'for all');
    expect((await svc.posts.getPost({ postId: post.id })).post?.text).toBe('for all');
    expect((await svc.posts.getPost({ postId: post.id }, as(eve))).post?.id).toBe(post.id);
  });

  it('shows a followers-only post to its author and followers only; to others it does not exist', async () => {
    const post = await newPost(svc, ann, 'friends only', FOLLOWERS);
    expect((await svc.posts.getPost({ postId: post.id }, as(ann))).post?.visibility).toBe(FOLLOWERS);
    expect((await svc.posts.getPost({ postId: post.id }, as(bob))).post?.text).toBe('friends only');
    await expectGrpcError(svc.posts.getPost({ postId: post.id }, as(eve)), Status.NOT_FOUND, {
      reason: 'POST_NOT_FOUND',
    });
    await expectGrpcError(svc.posts.getPost({ postId: post.id }), Status.NOT_FOUND, { reason: 'POST_NOT_FOUND' });
  });

  it('answers NOT_FOUND for an unknown id and INVALID_ARGUMENT for a malformed one', async () => {
    await expectGrpcError(svc.posts.getPost({ postId: '01890a5d-ac96-774b-bcce-b302099a8057' }), Status.NOT_FOUND);
    await expectGrpcError(svc.posts.getPost({ postId: 'not-a-uuid' }), Status.INVALID_ARGUMENT, {
      fields: ['post_id'],
    });
    await expectGrpcError(svc.posts.getPost({ postId: '' }), Status.INVALID_ARGUMENT, { fields: ['post_id'] });
  });
});

describe('UpdatePost and ListPostHistory', () => {
  it('lets the author edit, keeps every replaced text newest first and re-extracts tags', async () => {
    const post = await newPost(svc, ann, 'v1 #one');
    const first = await svc.posts.updatePost({ postId: post.id, text: `v2 #two @${bob.username}` }, as(ann));
    expect(first.post).toMatchObject({
      text: `v2 #two @${bob.username}`,
      hashtags: ['two'],
      mentions: [{ userId: bob.id }],
    });
    expect(first.post?.editedAt).toBeInstanceOf(Date);
    const second = await svc.posts.updatePost({ postId: post.id, text: 'v3' }, as(ann));
    expect(second.post).toMatchObject({ text: 'v3', hashtags: [], mentions: [] });

    const history = await svc.posts.listPostHistory({ postId: post.id }, as(eve));
    expect(history.revisions.map((r) => r.text)).toEqual([`v2 #two @${bob.username}`, 'v1 #one']);
    expect(history.revisions[1]?.writtenAt).toEqual(post.createdAt);
    expect(history.revisions[0]?.writtenAt).toEqual(first.post?.editedAt);
    expect(history.revisions[0]?.replacedAt).toEqual(second.post?.editedAt);

    const paged = await svc.posts.listPostHistory({ postId: post.id, pageSize: 1 });
    expect(paged.revisions.map((r) => r.text)).toEqual([`v2 #two @${bob.username}`]);
    const rest = await svc.posts.listPostHistory({ postId: post.id, pageSize: 1, pageToken: paged.nextPageToken });
    expect(rest.revisions.map((r) => r.text)).toEqual(['v1 #one']);
    expect(rest.nextPageToken).toBe('');
  });

  it('treats saving the same text as no edit', async () => {
    const post = await newPost(svc, ann, 'same');
    const { post: again } = await svc.posts.updatePost({ postId: post.id, text: ' same ' }, as(ann));
    expect(again?.editedAt).toBeUndefined();
    expect((await svc.posts.listPostHistory({ postId: post.id })).revisions).toEqual([]);
  });

  it('refuses others: PERMISSION_DENIED if they can see the post, NOT_FOUND if not', async () => {
    const open = await newPost(svc, ann, 'mine');
    await expectGrpcError(
      svc.posts.updatePost({ postId: open.id, text: 'hacked' }, as(eve)),
      Status.PERMISSION_DENIED,
      {
        reason: 'NOT_POST_AUTHOR',
      },
    );
    const closed = await newPost(svc, ann, 'mine, friends', FOLLOWERS);
    await expectGrpcError(svc.posts.updatePost({ postId: closed.id, text: 'hacked' }, as(eve)), Status.NOT_FOUND);
    await expectGrpcError(
      svc.posts.updatePost({ postId: closed.id, text: 'hacked' }, as(bob)),
      Status.PERMISSION_DENIED,
    );
    expect((await svc.posts.getPost({ postId: open.id })).post?.text).toBe('mine');
    await expectGrpcError(svc.posts.listPostHistory({ postId: closed.id }, as(eve)), Status.NOT_FOUND);
  });

  it('checks the new text like a new post', async () => {
    const post = await newPost(svc, ann, 'fine');
    await expectGrpcError(svc.posts.updatePost({ postId: post.id, text: ' ' }, as(ann)), Status.INVALID_ARGUMENT, {
      fields: ['text'],
    });
    await expectGrpcError(svc.posts.updatePost({ postId: 'x', text: 'ok' }, as(ann)), Status.INVALID_ARGUMENT, {
      fields: ['post_id'],
    });
  });
});

describe('DeletePost', () => {
  it('is for the author only', async () => {
    const post = await newPost(svc, ann, 'keep me');
    await expectGrpcError(svc.posts.deletePost({ postId: post.id }, as(eve)), Status.PERMISSION_DENIED);
    const closed = await newPost(svc, ann, 'keep me too', FOLLOWERS);
    await expectGrpcError(svc.posts.deletePost({ postId: closed.id }, as(eve)), Status.NOT_FOUND);
    expect((await svc.posts.getPost({ postId: post.id })).post?.id).toBe(post.id);
  });

  it('takes comments, likes, shares, history and feed entries with it', async () => {
    const post = await newPost(svc, ann, 'doomed #gone');
    await svc.posts.updatePost({ postId: post.id, text: 'doomed, edited' }, as(ann));
    const { comment } = await svc.comments.createComment({ postId: post.id, text: 'c', parentId: '' }, as(bob));
    await svc.comments.createComment({ postId: post.id, text: 'r', parentId: comment?.id ?? '' }, as(eve));
    await svc.reactions.likePost({ postId: post.id }, as(bob));
    await svc.reactions.likeComment({ commentId: comment?.id ?? '' }, as(ann));
    await svc.reactions.sharePost({ postId: post.id, quote: 'look' }, as(eve));

    await svc.posts.deletePost({ postId: post.id }, as(ann));

    await expectGrpcError(svc.posts.getPost({ postId: post.id }, as(ann)), Status.NOT_FOUND);
    await expectGrpcError(svc.posts.deletePost({ postId: post.id }, as(ann)), Status.NOT_FOUND);
    await expectGrpcError(svc.comments.listComments({ postId: post.id }), Status.NOT_FOUND);
    await expectGrpcError(svc.reactions.likePost({ postId: post.id }, as(bob)), Status.NOT_FOUND);
    for (const table of [
      'comments',
      'post_likes',
      'shares',
      'feed_items',
      'post_revisions',
      'post_hashtags',
    ] as const) {
      const rows = await svc.db.selectFrom(table).select('post_id').where('post_id', '=', post.id).execute();
      expect(rows, table).toEqual([]);
    }
    const likes = await svc.db
      .selectFrom('comment_likes')
      .select('comment_id')
      .where('comment_id', '=', comment?.id ?? '')
      .execute();
    expect(likes).toEqual([]);
    const eveItems = (await svc.posts.listUserPosts({ username: eve.username })).items;
    expect(eveItems.some((entry) => entry.item?.$case === 'share' && entry.item.value.post?.id === post.id)).toBe(
      false,
    );
  });
});
