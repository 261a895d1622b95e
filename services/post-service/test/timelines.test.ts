import { Status } from '@wren/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  as,
  expectGrpcError,
  FOLLOWERS,
  follow,
  itemIds,
  newPost,
  registerUser,
  startTestServices,
  type TestServices,
  type TestUser,
  tick,
  unfollow,
} from './helpers.js';

let svc: TestServices;

beforeAll(async () => {
  svc = await startTestServices();
});

afterAll(async () => {
  await svc?.stop();
});

/** ann follows bob; carl is a stranger to both. */
async function cast() {
  const ann = await registerUser(svc, 'ann');
  const bob = await registerUser(svc, 'bob');
  const carl = await registerUser(svc, 'carl');
  await follow(svc, ann, bob);
  return { ann, bob, carl };
}

async function post(user: TestUser, text: string, visibility?: typeof FOLLOWERS) {
  const created = await newPost(svc, user, text, visibility);
  await tick();
  return created;
}

describe('GetHomeTimeline', () => {
  it('shows own posts and the posts and shares of followed users, newest first, with visibility', async () => {
    const { ann, bob, carl } = await cast();
    const carlPost = await post(carl, 'carl public');
    await post(carl, 'carl friends', FOLLOWERS);
    const annPost = await post(ann, 'ann public');
    const bobClosed = await post(bob, 'bob friends', FOLLOWERS);
    const { share } = await svc.reactions.sharePost({ postId: carlPost.id, quote: 'via bob' }, as(bob));
    await tick();
    const bobPost = await post(bob, 'bob public');

    const home = await svc.posts.getHomeTimeline({}, as(ann));
    expect(itemIds(home.items)).toEqual([bobPost.id, `share:${share?.id}`, bobClosed.id, annPost.id]);
    const shareItem = home.items[1]?.item;
    expect(shareItem?.$case).toBe('share');
    if (shareItem?.$case === 'share') {
      expect(shareItem.value).toMatchObject({
        quote: 'via bob',
        sharer: { id: bob.id, username: bob.username },
        post: { id: carlPost.id, author: { id: carl.id, username: carl.username }, counts: { shares: 1 } },
      });
    }
    expect(home.nextPageToken).toBe('');
    // carl follows nobody: his home is his own posts, both of them.
    expect((await svc.posts.getHomeTimeline({}, as(carl))).items).toHaveLength(2);
  });

  it('carries counts and the viewer flags on each item', async () => {
    const { ann, bob } = await cast();
    const bobPost = await post(bob, 'likeable');
    await svc.reactions.likePost({ postId: bobPost.id }, as(ann));
    await svc.reactions.sharePost({ postId: bobPost.id, quote: '' }, as(ann));
    await svc.comments.createComment({ postId: bobPost.id, text: 'nice', parentId: '' }, as(bob));
    const home = await svc.posts.getHomeTimeline({}, as(ann));
    const original = home.items.find((entry) => entry.item?.$case === 'post' && entry.item.value.id === bobPost.id);
    expect(original?.item?.value).toMatchObject({
      counts: { likes: 1, comments: 1, shares: 1 },
      viewer: { liked: true, shared: true },
      author: { id: bob.id, username: bob.username, displayName: `${bob.username} shown` },
    });
    const bobsView = await svc.posts.getHomeTimeline({}, as(bob));
    expect(bobsView.items[0]?.item?.value).toMatchObject({ id: bobPost.id, viewer: { liked: false, shared: false } });
  });

  it('follows and unfollows take effect at once', async () => {
    const { ann, carl } = await cast();
    const carlPost = await post(carl, 'hello from carl', FOLLOWERS);
    expect(itemIds((await svc.posts.getHomeTimeline({}, as(ann))).items)).not.toContain(carlPost.id);
    await follow(svc, ann, carl);
    expect(itemIds((await svc.posts.getHomeTimeline({}, as(ann))).items)).toContain(carlPost.id);
    await unfollow(svc, ann, carl);
    expect(itemIds((await svc.posts.getHomeTimeline({}, as(ann))).items)).not.toContain(carlPost.id);
  });

  it('pages with a cursor without gaps or repeats', async () => {
    const { ann, bob } = await cast();
    const created: string[] = [];
    for (let i = 0; i < 7; i += 1) created.push((await post(i % 2 === 0 ? bob : ann, `post ${i}`)).id);
    const expected = created.reverse();
    const seen: string[] = [];
    let pageToken = '';
    const sizes: number[] = [];
    do {
      const page = await svc.posts.getHomeTimeline({ pageSize: 3, pageToken }, as(ann));
      sizes.push(page.items.length);
      seen.push(...(itemIds(page.items) as string[]));
      pageToken = page.nextPageToken;
    } while (pageToken !== '');
    expect(sizes).toEqual([3, 3, 1]);
    expect(seen).toEqual(expected);
  });

  it('needs a caller and checks page size and token', async () => {
    const { ann } = await cast();
    await expectGrpcError(svc.posts.getHomeTimeline({}), Status.UNAUTHENTICATED);
    await expectGrpcError(svc.posts.getHomeTimeline({ pageSize: 101 }, as(ann)), Status.INVALID_ARGUMENT, {
      fields: ['page_size'],
    });
    await expectGrpcError(svc.posts.getHomeTimeline({ pageSize: -1 }, as(ann)), Status.INVALID_ARGUMENT, {
      fields: ['page_size'],
    });
    for (const pageToken of ['%%%', 'bm90IGpzb24', Buffer.from('["not-a-uuid"]').toString('base64url')]) {
      await expectGrpcError(svc.posts.getHomeTimeline({ pageToken }, as(ann)), Status.INVALID_ARGUMENT, {
        fields: ['page_token'],
      });
    }
    expect((await svc.posts.getHomeTimeline({ pageSize: 100 }, as(ann))).items).toEqual([]);
  });
});

describe('ListUserPosts', () => {
  it("shows a user's posts and shares; followers-only ones only to the user and their followers", async () => {
    const { ann, bob, carl } = await cast();
    const open = await post(bob, 'open');
    const closed = await post(bob, 'closed', FOLLOWERS);
    const carlPost = await post(carl, 'carl');
    const { share } = await svc.reactions.sharePost({ postId: carlPost.id, quote: '' }, as(bob));
    const ownShare = await svc.reactions.sharePost({ postId: closed.id, quote: 'mine' }, as(bob));

    const all = [`share:${ownShare.share?.id}`, `share:${share?.id}`, closed.id, open.id];
    expect(itemIds((await svc.posts.listUserPosts({ username: bob.username }, as(bob))).items)).toEqual(all);
    expect(itemIds((await svc.posts.listUserPosts({ username: bob.username.toUpperCase() }, as(ann))).items)).toEqual(
      all,
    );
    const publicOnly = [`share:${share?.id}`, open.id];
    expect(itemIds((await svc.posts.listUserPosts({ username: bob.username }, as(carl))).items)).toEqual(publicOnly);
    expect(itemIds((await svc.posts.listUserPosts({ username: bob.username })).items)).toEqual(publicOnly);

    const first = await svc.posts.listUserPosts({ username: bob.username, pageSize: 1 });
    expect(itemIds(first.items)).toEqual([`share:${share?.id}`]);
    const second = await svc.posts.listUserPosts({
      username: bob.username,
      pageSize: 1,
      pageToken: first.nextPageToken,
    });
    expect(itemIds(second.items)).toEqual([open.id]);
    expect(second.nextPageToken).toBe('');
  });

  it('answers NOT_FOUND for an unknown username and INVALID_ARGUMENT for an empty one', async () => {
    await expectGrpcError(svc.posts.listUserPosts({ username: 'nobody_by_that_name' }), Status.NOT_FOUND, {
      reason: 'USER_NOT_FOUND',
    });
    await expectGrpcError(svc.posts.listUserPosts({ username: '' }), Status.INVALID_ARGUMENT, { fields: ['username'] });
  });
});
