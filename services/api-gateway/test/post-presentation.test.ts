/** What the client gets back from the post routes: the JSON shapes, statuses and Link headers. */
import { Visibility } from '@wren/contracts/post/v1/post.js';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { type Harness, startHarness } from './support/harness.js';
import { author, COMMENT_ID, comment, EDITED_AT, POST_ID, post, share } from './support/post-fixtures.js';
import { expectProblem } from './support/problems.js';
import { signTestToken } from './support/tokens.js';

let h: Harness;
let token: string;

beforeAll(async () => {
  h = await startHarness();
  token = await signTestToken();
});
afterAll(() => h?.stop());
beforeEach(() => h.post.reset());

const authorJson = { id: author.id, username: 'grace', displayName: 'Grace', avatarUrl: null };
const postJson = {
  id: POST_ID,
  author: authorJson,
  text: 'hello @ada #Wren',
  visibility: 'public',
  createdAt: '2026-01-02T03:04:05.678Z',
  editedAt: null,
  counts: { likes: 3, comments: 2, shares: 1 },
  viewer: { liked: true, shared: false },
  mentions: [{ userId: '0190f2a0-0000-7000-8000-000000000001', username: 'ada' }],
  hashtags: ['wren'],
};

describe('posts', () => {
  test('create: 201 with the post in API shape', async () => {
    h.post.on('createPost', async () => ({ post: post() }));
    const response = await h.fetch('/v1/posts', { method: 'POST', token, json: { text: 'hello @ada #Wren' } });
    expect(response.status).toBe(201);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(await response.json()).toEqual(postJson);
  });

  test('an edited followers-only post; viewer flags are null without a token', async () => {
    h.post.on('getPost', async () => ({
      post: post({ visibility: Visibility.VISIBILITY_FOLLOWERS, editedAt: EDITED_AT }),
    }));
    const anonymous = await (await h.fetch(`/v1/posts/${POST_ID}`)).json();
    expect(anonymous).toEqual({
      ...postJson,
      visibility: 'followers',
      editedAt: '2026-01-02T04:00:00.000Z',
      viewer: { liked: null, shared: null },
    });
    const signedIn = (await (await h.fetch(`/v1/posts/${POST_ID}`, { token })).json()) as typeof postJson;
    expect(signedIn.viewer).toEqual({ liked: true, shared: false });
  });

  test('delete: 204 without a body', async () => {
    h.post.on('deletePost', async () => ({}));
    const response = await h.fetch(`/v1/posts/${POST_ID}`, { method: 'DELETE', token });
    expect(response.status).toBe(204);
    expect(await response.text()).toBe('');
  });

  test('history: revisions with both timestamps, and the next page', async () => {
    h.post.on('listPostHistory', async () => ({
      revisions: [{ text: 'first', writtenAt: new Date('2026-01-02T03:04:05.678Z'), replacedAt: EDITED_AT }],
      nextPageToken: 'next_1',
    }));
    const response = await h.fetch(`/v1/posts/${POST_ID}/history?limit=1`);
    expect(await response.json()).toEqual({
      items: [{ text: 'first', writtenAt: '2026-01-02T03:04:05.678Z', replacedAt: '2026-01-02T04:00:00.000Z' }],
      nextCursor: 'next_1',
    });
    expect(response.headers.get('link')).toBe(
      `<${h.url}/v1/posts/${POST_ID}/history?cursor=next_1&limit=1>; rel="next"`,
    );
  });

  test('a post the contract does not allow (no visibility, no author) is a 500, not a guess', async () => {
    h.post.on('getPost', async () => ({ post: post({ visibility: Visibility.VISIBILITY_UNSPECIFIED }) }));
    await expectProblem(await h.fetch(`/v1/posts/${POST_ID}`), 500, 'internal');
    h.post.on('getPost', async () => ({ post: post({ author: undefined }) }));
    await expectProblem(await h.fetch(`/v1/posts/${POST_ID}`), 500, 'internal');
  });
});

describe('comments', () => {
  const commentJson = {
    id: COMMENT_ID,
    postId: POST_ID,
    parentId: null,
    author: authorJson,
    text: 'nice',
    createdAt: '2026-01-02T03:04:05.678Z',
    editedAt: null,
    likeCount: 1,
    replyCount: 0,
    likedByViewer: true,
  };

  test('create: 201 with the comment; a reply carries its parentId', async () => {
    h.post.on('createComment', async () => ({ comment: comment() }));
    const response = await h.fetch(`/v1/posts/${POST_ID}/comments`, { method: 'POST', token, json: { text: 'nice' } });
    expect(response.status).toBe(201);
    expect(await response.json()).toEqual(commentJson);
    h.post.on('updateComment', async () => ({ comment: comment({ parentId: POST_ID, editedAt: EDITED_AT }) }));
    const edited = await h.fetch(`/v1/comments/${COMMENT_ID}`, { method: 'PATCH', token, json: { text: 'nicer' } });
    expect(await edited.json()).toMatchObject({ parentId: POST_ID, editedAt: '2026-01-02T04:00:00.000Z' });
  });

  test('list: likedByViewer null without a token; the Link keeps the parentId filter', async () => {
    h.post.on('listComments', async () => ({ comments: [comment()], nextPageToken: 'c_2' }));
    const response = await h.fetch(`/v1/posts/${POST_ID}/comments?parentId=${COMMENT_ID}&limit=1`);
    expect(await response.json()).toEqual({ items: [{ ...commentJson, likedByViewer: null }], nextCursor: 'c_2' });
    expect(response.headers.get('link')).toBe(
      `<${h.url}/v1/posts/${POST_ID}/comments?cursor=c_2&limit=1&parentId=${COMMENT_ID}>; rel="next"`,
    );
  });

  test('the last page has nextCursor null and no Link', async () => {
    h.post.on('listComments', async () => ({ comments: [], nextPageToken: '' }));
    const response = await h.fetch(`/v1/posts/${POST_ID}/comments?cursor=c_2`, { token });
    expect(await response.json()).toEqual({ items: [], nextCursor: null });
    expect(response.headers.get('link')).toBeNull();
  });
});

describe('likes and shares', () => {
  test('likers, newest first, with the default limit in the Link', async () => {
    h.post.on('listPostLikes', async () => ({
      likes: [{ user: { ...author, avatarUrl: 'https://img.example/g.png' }, likedAt: EDITED_AT }],
      nextPageToken: 'l_2',
    }));
    const response = await h.fetch(`/v1/posts/${POST_ID}/likes`);
    expect(await response.json()).toEqual({
      items: [{ user: { ...authorJson, avatarUrl: 'https://img.example/g.png' }, likedAt: '2026-01-02T04:00:00.000Z' }],
      nextCursor: 'l_2',
    });
    expect(response.headers.get('link')).toBe(`<${h.url}/v1/posts/${POST_ID}/likes?cursor=l_2&limit=20>; rel="next"`);
  });

  test('share: 201 with the share and the original; no quote is null', async () => {
    h.post.on('sharePost', async () => ({ share: share() }));
    const response = await h.fetch(`/v1/posts/${POST_ID}/share`, { method: 'POST', token });
    expect(response.status).toBe(201);
    expect(await response.json()).toEqual({
      id: share().id,
      sharer: { id: share().sharer?.id, username: 'ada', displayName: 'Ada', avatarUrl: 'https://img.example/ada.png' },
      quote: null,
      createdAt: '2026-01-02T04:00:00.000Z',
      post: postJson,
    });
  });

  test('unshare answers the counts', async () => {
    h.post.on('unsharePost', async () => ({ counts: { likes: 3, comments: 2, shares: 0 } }));
    const response = await h.fetch(`/v1/posts/${POST_ID}/share`, { method: 'DELETE', token });
    expect(await response.json()).toEqual({ counts: { likes: 3, comments: 2, shares: 0 } });
  });
});

describe('timelines', () => {
  const items = [
    { item: { $case: 'post' as const, value: post() } },
    { item: { $case: 'share' as const, value: share({ quote: 'see' }) } },
  ];

  test('home: posts and shares, each tagged with its type', async () => {
    h.post.on('getHomeTimeline', async () => ({ items, nextPageToken: 'h_2' }));
    const response = await h.fetch('/v1/timelines/home?limit=2', { token });
    const body = (await response.json()) as { items: Record<string, unknown>[]; nextCursor: string };
    expect(body.items).toEqual([
      { type: 'post', post: postJson },
      { type: 'share', share: expect.objectContaining({ quote: 'see', post: postJson }) },
    ]);
    expect(body.nextCursor).toBe('h_2');
    expect(response.headers.get('link')).toBe(`<${h.url}/v1/timelines/home?cursor=h_2&limit=2>; rel="next"`);
  });

  test("a user's posts without a token: viewer flags null, in the shared post too", async () => {
    h.post.on('listUserPosts', async () => ({ items, nextPageToken: '' }));
    const response = await h.fetch('/v1/users/grace/posts');
    const body = (await response.json()) as { items: { post?: typeof postJson; share?: { post: typeof postJson } }[] };
    expect(body.items[0]?.post?.viewer).toEqual({ liked: null, shared: null });
    expect(body.items[1]?.share?.post.viewer).toEqual({ liked: null, shared: null });
    expect(response.headers.get('link')).toBeNull();
  });

  test('an item that is neither post nor share is a 500', async () => {
    h.post.on('getHomeTimeline', async () => ({ items: [{ item: undefined }], nextPageToken: '' }));
    await expectProblem(await h.fetch('/v1/timelines/home', { token }), 500, 'internal');
  });
});
