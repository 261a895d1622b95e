import { createHash } from 'node:crypto';
import { CreatePostRequest } from '@wren/contracts/post/v1/post_service.js';
import { IDEMPOTENCY_KEY_IN_USE, IDEMPOTENCY_KEY_REUSED, Status } from '@wren/platform';
import { ClientError } from 'nice-grpc';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  as,
  expectGrpcError,
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

beforeAll(async () => {
  svc = await startTestServices();
  ann = await registerUser(svc, 'ann');
  bob = await registerUser(svc, 'bob');
});

afterAll(async () => {
  await svc?.stop();
});

const postsOf = async (user: TestUser, text: string) =>
  svc.db.selectFrom('posts').select('id').where('author_id', '=', user.id).where('text', '=', text).execute();

describe('Idempotency-Key on CreatePost', () => {
  it('same key and request: the first answer again, one post', async () => {
    const first = await svc.posts.createPost({ text: 'once', visibility: PUBLIC }, as(ann, 'key-1'));
    const second = await svc.posts.createPost({ text: 'once', visibility: PUBLIC }, as(ann, 'key-1'));
    expect(second.post?.id).toBe(first.post?.id);
    expect(second).toEqual(first);
    expect(await postsOf(ann, 'once')).toHaveLength(1);
  });

  it('same key, different request: FAILED_PRECONDITION IDEMPOTENCY_KEY_REUSED, nothing created', async () => {
    await svc.posts.createPost({ text: 'original', visibility: PUBLIC }, as(ann, 'key-2'));
    await expectGrpcError(
      svc.posts.createPost({ text: 'changed', visibility: PUBLIC }, as(ann, 'key-2')),
      Status.FAILED_PRECONDITION,
      { reason: IDEMPOTENCY_KEY_REUSED },
    );
    expect(await postsOf(ann, 'changed')).toHaveLength(0);
  });

  it('keys are scoped per user and per method', async () => {
    const a = await svc.posts.createPost({ text: 'scoped', visibility: PUBLIC }, as(ann, 'shared-key'));
    const b = await svc.posts.createPost({ text: 'scoped', visibility: PUBLIC }, as(bob, 'shared-key'));
    expect(b.post?.id).not.toBe(a.post?.id);
    const comment = await svc.comments.createComment(
      { postId: a.post?.id ?? '', text: 'c', parentId: '' },
      as(ann, 'shared-key'),
    );
    expect(comment.comment?.postId).toBe(a.post?.id);
  });

  it('concurrent calls with one key create one post; the others get it too or ABORTED IN_USE', async () => {
    const calls = Array.from({ length: 6 }, () =>
      svc.posts.createPost({ text: 'racing', visibility: PUBLIC }, as(ann, 'race-key')).then(
        (response) => ({ id: response.post?.id }),
        (error: unknown) => ({ error }),
      ),
    );
    const results = await Promise.all(calls);
    const ids = new Set(results.flatMap((result) => ('id' in result ? [result.id] : [])));
    expect(ids.size).toBe(1);
    for (const result of results) {
      if ('error' in result) {
        expect(result.error).toBeInstanceOf(ClientError);
        expect((result.error as ClientError).code).toBe(Status.ABORTED);
      }
    }
    expect(await postsOf(ann, 'racing')).toHaveLength(1);
    // Once the winner has finished, a retry gets its answer.
    const retry = await svc.posts.createPost({ text: 'racing', visibility: PUBLIC }, as(ann, 'race-key'));
    expect(ids.has(retry.post?.id)).toBe(true);
  });

  it('a claim still in flight answers ABORTED IDEMPOTENCY_KEY_IN_USE; a stale one is taken over', async () => {
    const method = '/wren.post.v1.PostService/CreatePost';
    const claim = (until: string) =>
      svc.db
        .insertInto('idempotency_keys' as never)
        .values({
          user_id: ann.id,
          method,
          key: 'stuck',
          request_hash: createHash('sha256')
            .update(CreatePostRequest.encode({ text: 'stuck', visibility: PUBLIC }).finish())
            .digest(),
          claim_id: '01890a5d-ac96-774b-bcce-b302099a8057',
          claimed_until: until,
          expires_at: new Date(Date.now() + 86_400_000).toISOString(),
        } as never)
        .execute();
    await claim(new Date(Date.now() + 60_000).toISOString());
    await expectGrpcError(
      svc.posts.createPost({ text: 'stuck', visibility: PUBLIC }, as(ann, 'stuck')),
      Status.ABORTED,
      {
        reason: IDEMPOTENCY_KEY_IN_USE,
      },
    );
    // The request holding the claim died: after its timeout the key is usable again.
    await svc.db
      .updateTable('idempotency_keys' as never)
      .set({ claimed_until: new Date(Date.now() - 1000).toISOString() } as never)
      .execute();
    const taken = await svc.posts.createPost({ text: 'stuck', visibility: PUBLIC }, as(ann, 'stuck'));
    expect(taken.post?.text).toBe('stuck');
    const replay = await svc.posts.createPost({ text: 'stuck', visibility: PUBLIC }, as(ann, 'stuck'));
    expect(replay.post?.id).toBe(taken.post?.id);
  });

  it('an expired key is free again', async () => {
    const first = await svc.posts.createPost({ text: 'old', visibility: PUBLIC }, as(ann, 'old-key'));
    await svc.db
      .updateTable('idempotency_keys' as never)
      .set({ expires_at: new Date(Date.now() - 1000).toISOString() } as never)
      .where('key' as never, '=', 'old-key' as never)
      .execute();
    const second = await svc.posts.createPost({ text: 'old', visibility: PUBLIC }, as(ann, 'old-key'));
    expect(second.post?.id).not.toBe(first.post?.id);
  });

  it('a failed request frees its key', async () => {
    await expectGrpcError(
      svc.comments.createComment(
        { postId: '01890a5d-ac96-774b-bcce-b302099a8057', text: 'x', parentId: '' },
        as(ann, 'fails'),
      ),
      Status.NOT_FOUND,
    );
    const post = await newPost(svc, ann);
    const ok = await svc.comments
      .createComment({ postId: '01890a5d-ac96-774b-bcce-b302099a8057', text: 'x', parentId: '' }, as(ann, 'fails'))
      .catch((e: ClientError) => e.code);
    expect(ok).toBe(Status.NOT_FOUND); // not IN_USE: the first attempt left no claim behind
    const created = await svc.comments.createComment({ postId: post.id, text: 'x', parentId: '' }, as(ann, 'fails-2'));
    expect(created.comment?.postId).toBe(post.id);
  });

  it('refuses malformed keys', async () => {
    // (Non-ASCII values cannot travel in gRPC text metadata at all.)
    for (const key of ['', 'x'.repeat(129)]) {
      await expectGrpcError(
        svc.posts.createPost({ text: 'k', visibility: PUBLIC }, as(ann, key)),
        Status.INVALID_ARGUMENT,
        {
          fields: ['idempotency_key'],
        },
      );
    }
    expect(await postsOf(ann, 'k')).toHaveLength(0);
    const ok = await svc.posts.createPost({ text: 'k', visibility: PUBLIC }, as(ann, 'x'.repeat(128)));
    expect(ok.post?.text).toBe('k');
  });
});

describe('Idempotency-Key on CreateComment and SharePost', () => {
  it('replays a comment and a share, and refuses a changed body', async () => {
    const post = await newPost(svc, bob, 'to comment');
    const c1 = await svc.comments.createComment({ postId: post.id, text: 'hi', parentId: '' }, as(ann, 'c-key'));
    const c2 = await svc.comments.createComment({ postId: post.id, text: 'hi', parentId: '' }, as(ann, 'c-key'));
    expect(c2.comment?.id).toBe(c1.comment?.id);
    await expectGrpcError(
      svc.comments.createComment({ postId: post.id, text: 'ho', parentId: '' }, as(ann, 'c-key')),
      Status.FAILED_PRECONDITION,
      {
        reason: IDEMPOTENCY_KEY_REUSED,
      },
    );
    const s1 = await svc.reactions.sharePost({ postId: post.id, quote: 'q' }, as(ann, 's-key'));
    const s2 = await svc.reactions.sharePost({ postId: post.id, quote: 'q' }, as(ann, 's-key'));
    expect(s2.share?.id).toBe(s1.share?.id);
    await expectGrpcError(
      svc.reactions.sharePost({ postId: post.id, quote: 'other' }, as(ann, 's-key')),
      Status.FAILED_PRECONDITION,
      {
        reason: IDEMPOTENCY_KEY_REUSED,
      },
    );
    const counts = (await svc.posts.getPost({ postId: post.id })).post?.counts;
    expect(counts).toEqual({ likes: 0, comments: 1, shares: 1 });
  });
});
