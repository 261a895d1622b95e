/**
 * End to end through the gateway and the real post-service: the life of a post, who may do
 * what to it, and idempotent creation. Nothing here needs follows (see e2e-post-follows).
 */
import { randomUUID } from 'node:crypto';
import { startSystem, type TestSystem } from '@wren/testkit/system';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { registerUser, type SignedInUser } from './support/api.js';
import { send } from './support/harness.js';
import { expectProblem } from './support/problems.js';

let system: TestSystem;
let api: (path: string, init?: Parameters<typeof send>[2]) => Promise<Response>;
let ada: SignedInUser;
let bob: SignedInUser;

beforeAll(async () => {
  system = await startSystem({ gatewayEnv: { RATE_LIMIT_AUTH_MAX: '1000', RATE_LIMIT_MAX: '10000' } });
  api = (path, init) => send(system.gatewayUrl, path, init);
  [ada, bob] = await Promise.all([registerUser(system.gatewayUrl, 'ada'), registerUser(system.gatewayUrl, 'bob')]);
});
afterAll(() => system?.stop());

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

async function json<T>(response: Response, status: number): Promise<T> {
  const text = await response.text();
  expect(response.status, text).toBe(status);
  return JSON.parse(text) as T;
}

interface PostJson {
  id: string;
  text: string;
  createdAt: string;
  editedAt: string | null;
  counts: { likes: number; comments: number; shares: number };
  viewer: { liked: boolean | null; shared: boolean | null };
}

const createPost = async (user: SignedInUser, body: Record<string, unknown>, key?: string) =>
  api('/v1/posts', {
    method: 'POST',
    token: user.tokens.accessToken,
    json: body,
    headers: key ? { 'idempotency-key': key } : {},
  });

test('create → get → edit → history → like twice → comment → reply → share → delete → 404', async () => {
  const as = (user: SignedInUser) => user.tokens.accessToken;
  // A mention resolves when post-service's replica knows the user, as it knows an author
  // once she writes; an unknown name stays text. (Others arrive by events: e2e-post-follows.)
  const text = `hello @${ada.username} @nobody_${Date.now()} #Wren #wren`;
  const created = await json<PostJson>(await createPost(ada, { text }), 201);
  expect(created).toEqual({
    id: expect.stringMatching(/^[0-9a-f-]{36}$/),
    author: { id: ada.id, username: ada.username, displayName: '', avatarUrl: null },
    text,
    visibility: 'public',
    createdAt: expect.stringMatching(ISO),
    editedAt: null,
    counts: { likes: 0, comments: 0, shares: 0 },
    viewer: { liked: false, shared: false },
    mentions: [{ userId: ada.id, username: ada.username }],
    hashtags: ['wren'],
  });
  const path = `/v1/posts/${created.id}`;

  const anonymous = await json<PostJson>(await api(path), 200);
  expect(anonymous).toMatchObject({ id: created.id, viewer: { liked: null, shared: null } });

  const edited = await json<PostJson>(
    await api(path, { method: 'PATCH', token: as(ada), json: { text: 'hello again' } }),
    200,
  );
  expect(edited).toMatchObject({ text: 'hello again', editedAt: expect.stringMatching(ISO), mentions: [] });
  const history = await json<{ items: unknown[]; nextCursor: null }>(await api(`${path}/history`), 200);
  expect(history).toEqual({
    items: [{ text: created.text, writtenAt: created.createdAt, replacedAt: edited.editedAt }],
    nextCursor: null,
  });

  for (let i = 0; i < 2; i += 1) {
    const liked = await json<{ counts: PostJson['counts'] }>(
      await api(`${path}/like`, { method: 'PUT', token: as(bob) }),
      200,
    );
    expect(liked.counts.likes).toBe(1);
  }
  const likers = await json<{ items: { user: { id: string } }[] }>(await api(`${path}/likes`), 200);
  expect(likers.items.map((like) => like.user.id)).toEqual([bob.id]);

  const comment = await json<{ id: string; parentId: null }>(
    await api(`${path}/comments`, { method: 'POST', token: as(bob), json: { text: 'first!' } }),
    201,
  );
  expect(comment.parentId).toBeNull();
  const reply = await json<{ parentId: string }>(
    await api(`${path}/comments`, { method: 'POST', token: as(ada), json: { text: 'thanks', parentId: comment.id } }),
    201,
  );
  expect(reply.parentId).toBe(comment.id);
  const thread = await json<{ items: { text: string; replyCount: number }[] }>(await api(`${path}/comments`), 200);
  expect(thread.items.map((c) => [c.text, c.replyCount])).toEqual([
    ['first!', 1],
    ['thanks', 0],
  ]);
  const commentLike = await api(`/v1/comments/${comment.id}/like`, { method: 'PUT', token: as(ada) });
  expect(await json(commentLike, 200)).toEqual({ likeCount: 1 });

  const share = await json<{ quote: string; sharer: { id: string }; post: PostJson }>(
    await api(`${path}/share`, { method: 'POST', token: as(bob), json: { quote: 'look' } }),
    201,
  );
  expect(share).toMatchObject({ quote: 'look', sharer: { id: bob.id }, post: { id: created.id } });
  expect(share.post.counts).toEqual({ likes: 1, comments: 2, shares: 1 });
  expect(share.post.viewer).toEqual({ liked: true, shared: true });
  const bobsPosts = await json<{ items: { type: string }[] }>(await api(`/v1/users/${bob.username}/posts`), 200);
  expect(bobsPosts.items.map((item) => item.type)).toEqual(['share']);

  expect((await api(path, { method: 'DELETE', token: as(ada) })).status).toBe(204);
  await expectProblem(await api(path, { token: as(ada) }), 404, 'not-found');
  await expectProblem(await api(`${path}/comments`), 404, 'not-found');
  await expectProblem(await api(`${path}/like`, { method: 'PUT', token: as(bob) }), 404, 'not-found');
  const after = await json<{ items: unknown[] }>(await api(`/v1/users/${bob.username}/posts`), 200);
  expect(after.items).toEqual([]);
});

describe('who may do what', () => {
  test("another user's post: 403 to edit or delete; a comment: 403 to edit", async () => {
    const post = await json<PostJson>(await createPost(ada, { text: 'mine' }), 201);
    const token = bob.tokens.accessToken;
    await expectProblem(
      await api(`/v1/posts/${post.id}`, { method: 'PATCH', token, json: { text: 'yours now' } }),
      403,
      'forbidden',
    );
    await expectProblem(await api(`/v1/posts/${post.id}`, { method: 'DELETE', token }), 403, 'forbidden');
    const comment = await json<{ id: string }>(
      await api(`/v1/posts/${post.id}/comments`, {
        method: 'POST',
        token: ada.tokens.accessToken,
        json: { text: 'x' },
      }),
      201,
    );
    await expectProblem(
      await api(`/v1/comments/${comment.id}`, { method: 'PATCH', token, json: { text: 'y' } }),
      403,
      'forbidden',
    );
    expect((await json<PostJson>(await api(`/v1/posts/${post.id}`), 200)).text).toBe('mine');
  });

  test('a followers-only post does not exist for a non-follower or anonymous reader', async () => {
    const post = await json<PostJson>(await createPost(ada, { text: 'friends only', visibility: 'followers' }), 201);
    const path = `/v1/posts/${post.id}`;
    expect(
      (await json<{ visibility: string }>(await api(path, { token: ada.tokens.accessToken }), 200)).visibility,
    ).toBe('followers');
    const token = bob.tokens.accessToken;
    await expectProblem(await api(path), 404, 'not-found');
    await expectProblem(await api(path, { token }), 404, 'not-found');
    await expectProblem(await api(`${path}/like`, { method: 'PUT', token }), 404, 'not-found');
    await expectProblem(await api(`${path}/share`, { method: 'POST', token }), 404, 'not-found');
    await expectProblem(
      await api(`${path}/comments`, { method: 'POST', token, json: { text: 'hi' } }),
      404,
      'not-found',
    );
    const listed = await json<{ items: unknown[] }>(await api(`/v1/users/${ada.username}/posts`, { token }), 200);
    expect(JSON.stringify(listed)).not.toContain(post.id);
  });
});

describe('idempotent creation', () => {
  test('the same key and body answer the same post; a different body is a 422', async () => {
    const key = randomUUID();
    const first = await json<PostJson>(await createPost(ada, { text: 'once' }, key), 201);
    const again = await json<PostJson>(await createPost(ada, { text: 'once' }, key), 201);
    expect(again.id).toBe(first.id);
    const problem = await expectProblem(await createPost(ada, { text: 'twice' }, key), 422, 'unprocessable-content');
    expect(problem.code).toBe('IDEMPOTENCY_KEY_REUSED');
    // The key is the caller's own: another user with the same key creates their own post.
    const bobs = await json<PostJson>(await createPost(bob, { text: 'once' }, key), 201);
    expect(bobs.id).not.toBe(first.id);
    const page = await json<{ items: { post: PostJson }[] }>(
      await api(`/v1/users/${ada.username}/posts?limit=100`),
      200,
    );
    expect(page.items.filter((item) => item.post?.text === 'once')).toHaveLength(1);
  });
});

describe('bad input is a 4xx problem, never a 500', () => {
  test.each([
    ['whitespace-only text', { text: '   \n ' }],
    ['over 500 characters', { text: 'é'.repeat(501) }],
    ['a control character', { text: 'bell\u0007' }],
  ])('%s', async (_what, body) => {
    await expectProblem(await createPost(ada, body), 400, 'validation-failed', { fields: ['text'] });
  });

  test('a garbage cursor and an unknown post', async () => {
    await expectProblem(await api(`/v1/users/${ada.username}/posts?cursor=Zm9vYmFy`), 400, 'validation-failed', {
      fields: ['cursor'],
    });
    await expectProblem(await api(`/v1/posts/${randomUUID()}`), 404, 'not-found');
  });
});
