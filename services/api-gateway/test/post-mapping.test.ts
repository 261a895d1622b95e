/**
 * The post routes against a scripted post-service over real gRPC: what each HTTP request
 * becomes over gRPC (fields, token, Idempotency-Key), and what each refusal becomes over HTTP.
 */
import { Visibility } from '@wren/contracts/post/v1/post.js';
import { failedPrecondition, invalidArgument, notFound, permissionDenied } from '@wren/platform';
import { ServerError, Status } from 'nice-grpc-common';
import { ErrorInfo, RichServerError } from 'nice-grpc-error-details';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { type Harness, startHarness } from './support/harness.js';
import { COMMENT_ID, comment, POST_ID, post, share } from './support/post-fixtures.js';
import { expectProblem } from './support/problems.js';
import { signTestToken } from './support/tokens.js';

let h: Harness;
let token: string;

beforeAll(async () => {
  h = await startHarness();
  token = await signTestToken();
});
afterAll(() => h?.stop());
beforeEach(() => {
  h.user.reset();
  h.post.reset();
});

const counts = { likes: 1, comments: 0, shares: 0 };

describe('what reaches post-service', () => {
  test.each([
    ['POST', '/v1/posts', { text: 'hi' }, 'createPost', { text: 'hi', visibility: Visibility.VISIBILITY_PUBLIC }],
    [
      'POST',
      '/v1/posts',
      { text: 'hi', visibility: 'followers' },
      'createPost',
      { text: 'hi', visibility: Visibility.VISIBILITY_FOLLOWERS },
    ],
    ['GET', `/v1/posts/${POST_ID}`, undefined, 'getPost', { postId: POST_ID }],
    ['PATCH', `/v1/posts/${POST_ID}`, { text: 'new' }, 'updatePost', { postId: POST_ID, text: 'new' }],
    ['DELETE', `/v1/posts/${POST_ID}`, undefined, 'deletePost', { postId: POST_ID }],
    [
      'GET',
      `/v1/posts/${POST_ID}/history`,
      undefined,
      'listPostHistory',
      { postId: POST_ID, pageSize: 20, pageToken: '' },
    ],
    [
      'POST',
      `/v1/posts/${POST_ID}/comments`,
      { text: 'yes' },
      'createComment',
      { postId: POST_ID, text: 'yes', parentId: '' },
    ],
    [
      'POST',
      `/v1/posts/${POST_ID}/comments`,
      { text: 'yes', parentId: COMMENT_ID },
      'createComment',
      { postId: POST_ID, text: 'yes', parentId: COMMENT_ID },
    ],
    [
      'GET',
      `/v1/posts/${POST_ID}/comments?parentId=${COMMENT_ID}&limit=5&cursor=c1`,
      undefined,
      'listComments',
      { postId: POST_ID, parentId: COMMENT_ID, pageSize: 5, pageToken: 'c1' },
    ],
    ['PATCH', `/v1/comments/${COMMENT_ID}`, { text: 'edit' }, 'updateComment', { commentId: COMMENT_ID, text: 'edit' }],
    ['DELETE', `/v1/comments/${COMMENT_ID}`, undefined, 'deleteComment', { commentId: COMMENT_ID }],
    ['PUT', `/v1/comments/${COMMENT_ID}/like`, undefined, 'likeComment', { commentId: COMMENT_ID }],
    ['DELETE', `/v1/comments/${COMMENT_ID}/like`, undefined, 'unlikeComment', { commentId: COMMENT_ID }],
    ['PUT', `/v1/posts/${POST_ID}/like`, undefined, 'likePost', { postId: POST_ID }],
    ['DELETE', `/v1/posts/${POST_ID}/like`, undefined, 'unlikePost', { postId: POST_ID }],
    [
      'GET',
      `/v1/posts/${POST_ID}/likes?limit=100`,
      undefined,
      'listPostLikes',
      { postId: POST_ID, pageSize: 100, pageToken: '' },
    ],
    ['POST', `/v1/posts/${POST_ID}/share`, undefined, 'sharePost', { postId: POST_ID, quote: '' }],
    ['POST', `/v1/posts/${POST_ID}/share`, { quote: 'look' }, 'sharePost', { postId: POST_ID, quote: 'look' }],
    ['DELETE', `/v1/posts/${POST_ID}/share`, undefined, 'unsharePost', { postId: POST_ID }],
    ['GET', '/v1/timelines/home?cursor=abc', undefined, 'getHomeTimeline', { pageSize: 20, pageToken: 'abc' }],
    [
      'GET',
      '/v1/users/grace/posts?limit=3',
      undefined,
      'listUserPosts',
      { username: 'grace', pageSize: 3, pageToken: '' },
    ],
  ] as const)('%s %s → %s', async (method, path, json, rpc, expected) => {
    h.post.on(rpc, async () => {
      throw new ServerError(Status.NOT_FOUND, 'scripted');
    });
    const response = await h.fetch(path, { method, token, json, headers: { 'x-request-id': 'trace-7' } });
    await expectProblem(response, 404, 'not-found');
    expect(h.post.calls).toEqual([
      { method: rpc, request: expected, authorization: `Bearer ${token}`, requestId: 'trace-7' },
    ]);
  });

  test('optional-auth reads without a token forward none', async () => {
    h.post.on('getPost', async () => ({ post: post() }));
    expect((await h.fetch(`/v1/posts/${POST_ID}`)).status).toBe(200);
    expect(h.post.calls[0]?.authorization).toBeUndefined();
  });
});

describe('Idempotency-Key', () => {
  const creates = [
    ['/v1/posts', { text: 'hi' }, 'createPost', async () => ({ post: post() })],
    [`/v1/posts/${POST_ID}/comments`, { text: 'hi' }, 'createComment', async () => ({ comment: comment() })],
    [`/v1/posts/${POST_ID}/share`, {}, 'sharePost', async () => ({ share: share() })],
  ] as const;

  test.each(creates)('POST %s forwards it as idempotency-key metadata', async (path, json, rpc, answer) => {
    h.post.on(rpc, answer as never);
    const key = 'key: 42 ~ printable!';
    const response = await h.fetch(path, { method: 'POST', token, json, headers: { 'idempotency-key': key } });
    expect(response.status).toBe(201);
    const without = await h.fetch(path, { method: 'POST', token, json });
    expect(without.status).toBe(201);
    expect(h.post.calls.map((call) => call.idempotencyKey)).toEqual([key, undefined]);
  });

  test.each(creates)('POST %s: a malformed key is a 400 naming the header', async (path, json) => {
    for (const key of ['', 'k'.repeat(129), 'caf\u00e9']) {
      const response = await h.fetch(path, { method: 'POST', token, json, headers: { 'idempotency-key': key } });
      await expectProblem(response, 400, 'validation-failed', { fields: ['Idempotency-Key'] });
    }
    expect(h.post.calls).toEqual([]);
  });

  test('the same key with a different body → 422 with the reason', async () => {
    h.post.on('createPost', async () => {
      throw failedPrecondition('this idempotency key was used for a different request', 'IDEMPOTENCY_KEY_REUSED');
    });
    const response = await h.fetch('/v1/posts', {
      method: 'POST',
      token,
      json: { text: 'other' },
      headers: { 'idempotency-key': 'k1' },
    });
    const problem = await expectProblem(response, 422, 'unprocessable-content', { instance: '/v1/posts' });
    expect(problem.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  test('another FAILED_PRECONDITION stays a 400', async () => {
    h.post.on('sharePost', async () => {
      throw failedPrecondition('a followers-only post of someone else cannot be shared', 'POST_NOT_SHAREABLE');
    });
    const response = await h.fetch(`/v1/posts/${POST_ID}/share`, { method: 'POST', token });
    expect((await expectProblem(response, 400, 'failed-precondition')).code).toBe('POST_NOT_SHAREABLE');
  });

  test('the key of a request still running → 409', async () => {
    h.post.on('createComment', async () => {
      throw new RichServerError(Status.ABORTED, 'still in progress', [
        ErrorInfo.fromPartial({ reason: 'IDEMPOTENCY_KEY_IN_USE', domain: 'wren' }),
      ]);
    });
    const response = await h.fetch(`/v1/posts/${POST_ID}/comments`, {
      method: 'POST',
      token,
      json: { text: 'x' },
      headers: { 'idempotency-key': 'k2' },
    });
    expect((await expectProblem(response, 409, 'conflict')).code).toBe('IDEMPOTENCY_KEY_IN_USE');
  });

  test('a create with a key is retried on UNAVAILABLE; one without is not', async () => {
    let failures = 0;
    h.post.on('createPost', async () => {
      failures += 1;
      if (failures % 2 === 1) throw new ServerError(Status.UNAVAILABLE, 'restarting');
      return { post: post() };
    });
    const keyed = await h.fetch('/v1/posts', {
      method: 'POST',
      token,
      json: { text: 'hi' },
      headers: { 'idempotency-key': 'retry-me' },
    });
    expect(keyed.status).toBe(201);
    expect(h.post.calls.map((call) => call.idempotencyKey)).toEqual(['retry-me', 'retry-me']);
    h.post.calls.length = 0;
    await expectProblem(
      await h.fetch('/v1/posts', { method: 'POST', token, json: { text: 'hi' } }),
      503,
      'service-unavailable',
    );
    expect(h.post.calls).toHaveLength(1);
  });
});

describe('service field names → the names the client sent', () => {
  test.each([
    ['PATCH', `/v1/posts/${POST_ID}`, { text: 'x' }, 'updatePost', ['post_id', 'text'], ['id', 'text']],
    [
      'POST',
      `/v1/posts/${POST_ID}/comments`,
      { text: 'x' },
      'createComment',
      ['post_id', 'parent_id', 'idempotency_key'],
      ['id', 'parentId', 'Idempotency-Key'],
    ],
    [
      'GET',
      `/v1/posts/${POST_ID}/comments`,
      undefined,
      'listComments',
      ['parent_id', 'page_token'],
      ['parentId', 'cursor'],
    ],
    ['PATCH', `/v1/comments/${COMMENT_ID}`, { text: 'x' }, 'updateComment', ['comment_id'], ['id']],
    ['PUT', `/v1/comments/${COMMENT_ID}/like`, undefined, 'likeComment', ['comment_id'], ['id']],
    ['POST', '/v1/posts', { text: 'x' }, 'createPost', ['text', 'visibility'], ['text', 'visibility']],
    ['POST', `/v1/posts/${POST_ID}/share`, { quote: 'x' }, 'sharePost', ['post_id', 'quote'], ['id', 'quote']],
    ['GET', '/v1/timelines/home', undefined, 'getHomeTimeline', ['page_size'], ['limit']],
  ] as const)('%s %s', async (method, path, json, rpc, protoFields, jsonFields) => {
    h.post.on(rpc, async () => {
      throw invalidArgument(protoFields.map((field) => ({ field, description: 'is not valid' })));
    });
    await expectProblem(await h.fetch(path, { method, token, json }), 400, 'validation-failed', {
      fields: [...jsonFields],
    });
  });

  test('403 and 404 keep their reasons', async () => {
    h.post.on('deletePost', async () => {
      throw permissionDenied('only the author may change a post', 'NOT_POST_AUTHOR');
    });
    h.post.on('likePost', async () => {
      throw notFound('post not found', 'POST_NOT_FOUND');
    });
    const denied = await expectProblem(
      await h.fetch(`/v1/posts/${POST_ID}`, { method: 'DELETE', token }),
      403,
      'forbidden',
    );
    expect(denied.code).toBe('NOT_POST_AUTHOR');
    const missing = await expectProblem(
      await h.fetch(`/v1/posts/${POST_ID}/like`, { method: 'PUT', token }),
      404,
      'not-found',
    );
    expect(missing.code).toBe('POST_NOT_FOUND');
  });

  test('likes answer counts', async () => {
    h.post.on('likePost', async () => ({ counts }));
    h.post.on('unlikeComment', async () => ({ likeCount: 4 }));
    expect(await (await h.fetch(`/v1/posts/${POST_ID}/like`, { method: 'PUT', token })).json()).toEqual({ counts });
    const unliked = await h.fetch(`/v1/comments/${COMMENT_ID}/like`, { method: 'DELETE', token });
    expect(await unliked.json()).toEqual({ likeCount: 4 });
  });
});
