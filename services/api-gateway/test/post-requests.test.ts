/** What the gateway refuses on the post routes before post-service is called. */
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { type Harness, startHarness } from './support/harness.js';
import { COMMENT_ID, POST_ID, post } from './support/post-fixtures.js';
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

describe('ids in paths must be UUIDs', () => {
  test.each([
    ['GET', '/v1/posts/123'],
    ['PATCH', '/v1/posts/not-a-uuid'],
    ['DELETE', `/v1/posts/${POST_ID}x`],
    ['GET', '/v1/posts/1/history'],
    ['POST', '/v1/posts/1/comments'],
    ['GET', "/v1/posts/1'%20OR%201=1/comments"],
    ['PATCH', '/v1/comments/abc'],
    ['DELETE', '/v1/comments/abc'],
    ['PUT', '/v1/comments/abc/like'],
    ['DELETE', '/v1/comments/abc/like'],
    ['PUT', '/v1/posts/abc/like'],
    ['DELETE', '/v1/posts/abc/like'],
    ['GET', '/v1/posts/abc/likes'],
    ['POST', '/v1/posts/abc/share'],
    ['DELETE', '/v1/posts/abc/share'],
  ])('%s %s', async (method, path) => {
    const json = method === 'POST' || method === 'PATCH' ? { text: 'x' } : undefined;
    await expectProblem(await h.fetch(path, { method, token, json }), 400, 'validation-failed', { fields: ['id'] });
    expect(h.post.calls).toEqual([]);
  });

  test('a parentId too, in the body and in the query', async () => {
    const path = `/v1/posts/${POST_ID}/comments`;
    await expectProblem(
      await h.fetch(path, { method: 'POST', token, json: { text: 'x', parentId: 'nope' } }),
      400,
      'validation-failed',
      { fields: ['parentId'] },
    );
    await expectProblem(await h.fetch(`${path}?parentId=nope`), 400, 'validation-failed', { fields: ['parentId'] });
    expect(h.post.calls).toEqual([]);
  });
});

describe('closed bodies with bounded text', () => {
  const long = 'x'.repeat(2001);
  test.each([
    ['POST', '/v1/posts', { text: 'x', visibility: 'private' }, ['visibility']],
    ['POST', '/v1/posts', { text: '' }, ['text']],
    ['POST', '/v1/posts', { text: long }, ['text']],
    ['POST', '/v1/posts', { visibility: 'public' }, ['text']],
    ['POST', '/v1/posts', { text: 'x', authorId: COMMENT_ID }, ['authorId']],
    ['POST', '/v1/posts', { text: 42 }, ['text']],
    ['PATCH', `/v1/posts/${POST_ID}`, { text: 'x', visibility: 'followers' }, ['visibility']],
    ['PATCH', `/v1/posts/${POST_ID}`, {}, ['text']],
    ['POST', `/v1/posts/${POST_ID}/comments`, { text: long }, ['text']],
    ['POST', `/v1/posts/${POST_ID}/comments`, { text: 'x', postId: POST_ID }, ['postId']],
    ['PATCH', `/v1/comments/${COMMENT_ID}`, { text: '' }, ['text']],
    ['POST', `/v1/posts/${POST_ID}/share`, { quote: long }, ['quote']],
    ['POST', `/v1/posts/${POST_ID}/share`, { quote: 'x', visibility: 'public' }, ['visibility']],
  ])('%s %s %j', async (method, path, json, fields) => {
    await expectProblem(await h.fetch(path, { method, token, json }), 400, 'validation-failed', { fields });
    expect(h.post.calls).toEqual([]);
  });

  test('2000 code units pass the gateway: the service counts characters', async () => {
    h.post.on('createPost', async () => ({ post: post() }));
    // 500 emoji with skin tones are 500 characters but 2000 UTF-16 code units.
    const text = '👋🏽'.repeat(500);
    expect(text.length).toBe(2000);
    expect((await h.fetch('/v1/posts', { method: 'POST', token, json: { text } })).status).toBe(201);
    expect(h.post.calls).toHaveLength(1);
  });
});

describe('list parameters', () => {
  test.each([
    ['limit=0', ['limit']],
    ['limit=101', ['limit']],
    ['limit=ten', ['limit']],
    ['cursor=%2Fetc%2Fpasswd', ['cursor']],
    [`cursor=${'A'.repeat(513)}`, ['cursor']],
    ['offset=40', ['offset']],
  ])('?%s', async (query, fields) => {
    for (const path of [
      '/v1/timelines/home',
      '/v1/users/grace/posts',
      `/v1/posts/${POST_ID}/comments`,
      `/v1/posts/${POST_ID}/likes`,
      `/v1/posts/${POST_ID}/history`,
    ]) {
      await expectProblem(await h.fetch(`${path}?${query}`, { token }), 400, 'validation-failed', { fields });
    }
    expect(h.post.calls).toEqual([]);
  });

  test('a username that cannot be one', async () => {
    await expectProblem(await h.fetch('/v1/users/a.b/posts'), 400, 'validation-failed', { fields: ['username'] });
  });
});

describe('who may call', () => {
  test.each([
    ['POST', '/v1/posts'],
    ['PATCH', `/v1/posts/${POST_ID}`],
    ['DELETE', `/v1/posts/${POST_ID}`],
    ['POST', `/v1/posts/${POST_ID}/comments`],
    ['PATCH', `/v1/comments/${COMMENT_ID}`],
    ['DELETE', `/v1/comments/${COMMENT_ID}`],
    ['PUT', `/v1/comments/${COMMENT_ID}/like`],
    ['PUT', `/v1/posts/${POST_ID}/like`],
    ['DELETE', `/v1/posts/${POST_ID}/like`],
    ['POST', `/v1/posts/${POST_ID}/share`],
    ['DELETE', `/v1/posts/${POST_ID}/share`],
    ['GET', '/v1/timelines/home'],
  ])('%s %s needs a token', async (method, path) => {
    const problem = await expectProblem(await h.fetch(path, { method }), 401, 'unauthenticated');
    expect(problem.code).toBe('MISSING_TOKEN');
    expect(h.post.calls).toEqual([]);
  });

  test('a bad token on a public read is a 401, not an anonymous read', async () => {
    const problem = await expectProblem(
      await h.fetch(`/v1/posts/${POST_ID}`, { token: 'not.a.token' }),
      401,
      'unauthenticated',
    );
    expect(problem.code).toBe('INVALID_TOKEN');
    expect(h.post.calls).toEqual([]);
  });
});

test('the post routes share the /v1 rate limit, counted per user', async () => {
  const limited = await startHarness({ RATE_LIMIT_MAX: '2' });
  try {
    limited.post.on('getPost', async () => ({ post: post() }));
    limited.post.on('likePost', async () => ({ counts: { likes: 1, comments: 0, shares: 0 } }));
    expect((await limited.fetch(`/v1/posts/${POST_ID}`, { token })).status).toBe(200);
    expect((await limited.fetch(`/v1/posts/${POST_ID}/like`, { method: 'PUT', token })).status).toBe(200);
    const refused = await limited.fetch(`/v1/posts/${POST_ID}`, { token });
    await expectProblem(refused, 429, 'rate-limited');
    expect(refused.headers.get('retry-after')).not.toBeNull();
    // Another user has a budget of their own.
    const other = await signTestToken();
    expect((await limited.fetch(`/v1/posts/${POST_ID}`, { token: other })).status).toBe(200);
  } finally {
    await limited.stop();
  }
});
