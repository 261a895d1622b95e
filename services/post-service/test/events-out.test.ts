/**
 * What post-service publishes for notification-service, seen by a stand-in consumer that
 * the real relay delivers to with a credential user-service issued to post-service.
 */
import { createHash } from 'node:crypto';
import { EventSinkServiceDefinition } from '@wren/contracts/events/v1/event_sink_service.js';
import type { Event } from '@wren/contracts/events/v1/events.js';
import { createAccessTokenVerifier, Status } from '@wren/platform';
import { eventually, freePort } from '@wren/testkit';
import type { JWK } from 'jose';
import { createServer } from 'nice-grpc';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  as,
  FOLLOWERS,
  follow,
  newComment,
  newPost,
  registerUser,
  startTestServices,
  type TestServices,
  unfollow,
} from './helpers.js';

const SECRET = 'post-service test secret';

describe('post-service events', () => {
  const received: Event[] = [];
  const credentials: string[] = [];
  const sink = createServer();
  let svc: TestServices;

  beforeAll(async () => {
    sink.add(EventSinkServiceDefinition, {
      async deliver(request, context) {
        credentials.push(context.metadata.get('authorization') ?? '');
        received.push(...request.events);
        return {};
      },
    });
    const port = await freePort();
    await sink.listen(`127.0.0.1:${port}`);
    svc = await startTestServices({
      userEnv: { SERVICE_CLIENTS: `post-service:${createHash('sha256').update(SECRET).digest('hex')}` },
      postEnv: { OUTBOX_SUBSCRIBERS: `sink=127.0.0.1:${port}`, SERVICE_CLIENT_SECRET: SECRET },
    });
  });
  afterAll(async () => {
    await svc.stop();
    await sink.shutdown();
  });

  it('publishes mentions, likes, comments and replies, shares and deletions, in order', async () => {
    const ana = await registerUser(svc, 'out_ana');
    const ben = await registerUser(svc, 'out_ben');
    const cat = await registerUser(svc, 'out_cat');
    const post = await newPost(svc, ben, `hi @${ana.username} and @nobody_here`);
    await svc.reactions.likePost({ postId: post.id }, as(ana));
    await svc.reactions.unlikePost({ postId: post.id }, as(ana));
    await svc.reactions.likePost({ postId: post.id }, as(ana));
    const comment = await newComment(svc, cat, post.id, 'nice');
    const reply = await newComment(svc, ana, post.id, `thanks @${cat.username}`, comment.id);
    await svc.reactions.likeComment({ commentId: comment.id }, as(ben));
    const { share } = await svc.reactions.sharePost({ postId: post.id, quote: 'look' }, as(cat));
    await svc.comments.deleteComment({ commentId: comment.id }, as(ben));
    await svc.posts.deletePost({ postId: post.id }, as(ben));

    await eventually(async () => received.some((e) => e.payload?.$case === 'postDeleted'));
    const text = `hi @${ana.username} and @nobody_here`;
    expect(received.map((e) => e.payload)).toEqual([
      {
        $case: 'postMentioned',
        value: { postId: post.id, authorId: ben.id, mentionedUserIds: [ana.id], excerpt: text },
      },
      { $case: 'postLiked', value: { postId: post.id, postAuthorId: ben.id, likerId: ana.id, excerpt: text } },
      // Unlike and like again: the like row is new, so the event is too; notification-service
      // keeps one notification per (recipient, type, actor, target).
      { $case: 'postLiked', value: { postId: post.id, postAuthorId: ben.id, likerId: ana.id, excerpt: text } },
      {
        $case: 'commentCreated',
        value: {
          commentId: comment.id,
          postId: post.id,
          postAuthorId: ben.id,
          authorId: cat.id,
          parentId: '',
          parentAuthorId: '',
          mentionedUserIds: [],
          excerpt: 'nice',
        },
      },
      {
        $case: 'commentCreated',
        value: {
          commentId: reply.id,
          postId: post.id,
          postAuthorId: ben.id,
          authorId: ana.id,
          parentId: comment.id,
          parentAuthorId: cat.id,
          mentionedUserIds: [cat.id],
          excerpt: `thanks @${cat.username}`,
        },
      },
      {
        $case: 'commentLiked',
        value: { commentId: comment.id, postId: post.id, commentAuthorId: cat.id, likerId: ben.id, excerpt: 'nice' },
      },
      {
        $case: 'postShared',
        value: {
          shareId: share?.id,
          postId: post.id,
          postAuthorId: ben.id,
          sharerId: cat.id,
          quote: 'look',
          excerpt: text,
        },
      },
      { $case: 'commentDeleted', value: { commentId: comment.id, postId: post.id } },
      { $case: 'commentDeleted', value: { commentId: reply.id, postId: post.id } },
      { $case: 'postDeleted', value: { postId: post.id } },
    ]);
    expect(received.every((e) => e.producer === 'post-service')).toBe(true);

    const jwks = await svc.auth.getJwks({});
    const verifier = createAccessTokenVerifier({
      issuer: 'wren',
      audience: 'wren-api',
      fetchKeys: async () => jwks.keys as JWK[],
    });
    const token = credentials[0]?.replace(/^Bearer /, '') ?? '';
    expect((await verifier.verifyService(token)).service).toBe('post-service');
  });

  it('tells of a followers-only post only those who may read it', async () => {
    const ana = await registerUser(svc, 'fo_ana');
    const ben = await registerUser(svc, 'fo_ben');
    const cat = await registerUser(svc, 'fo_cat');
    const dan = await registerUser(svc, 'fo_dan');
    await follow(svc, ben, ana);
    await follow(svc, dan, ana);
    // Cat does not follow Ana: mentioned in her followers-only post, she is not told.
    const post = await newPost(svc, ana, `hi @${ben.username} @${cat.username}`, FOLLOWERS);
    const first = await newComment(svc, dan, post.id, 'first');
    await unfollow(svc, dan, ana);
    // Dan no longer may read the post: no reply, mention or like of his comment reaches him.
    const reply = await newComment(svc, ben, post.id, `@${cat.username} @${dan.username} see`, first.id);
    await svc.reactions.likeComment({ commentId: first.id }, as(ana));
    // A public post after them all: once it is out, so is everything before it.
    const marker = await newPost(svc, ana, `hi @${cat.username}`);
    await eventually(async () =>
      received.some((e) => e.payload?.$case === 'postMentioned' && e.payload.value.postId === marker.id),
    );

    const about = received
      .map((e) => e.payload)
      .filter((payload) => payload && 'postId' in payload.value && payload.value.postId === post.id);
    expect(about).toEqual([
      {
        $case: 'postMentioned',
        value: { postId: post.id, authorId: ana.id, mentionedUserIds: [ben.id], excerpt: expect.any(String) },
      },
      {
        $case: 'commentCreated',
        value: expect.objectContaining({ commentId: first.id, postAuthorId: ana.id, mentionedUserIds: [] }),
      },
      {
        $case: 'commentCreated',
        value: expect.objectContaining({
          commentId: reply.id,
          parentId: first.id,
          parentAuthorId: '',
          mentionedUserIds: [],
        }),
      },
    ]);
  });

  it('resolves a mention of a user whose registration has not reached post-service yet, and tells them', async () => {
    const ana = await registerUser(svc, 'lag_ana');
    // Registered in user-service; its user.registered event has not been applied here.
    const fresh = await registerUser(svc, 'lag_new', { replica: false });
    const post = await newPost(svc, ana, `welcome @${fresh.username.toUpperCase()}!`);
    expect(post.mentions).toEqual([{ userId: fresh.id, username: fresh.username }]);
    const comment = await newComment(svc, ana, post.id, `@${fresh.username} see above`);
    await eventually(async () =>
      received.some((e) => e.payload?.$case === 'commentCreated' && e.payload.value.commentId === comment.id),
    );
    const mentioned = received.flatMap((e) =>
      (e.payload?.$case === 'postMentioned' || e.payload?.$case === 'commentCreated') &&
      e.payload.value.postId === post.id
        ? [e.payload.value.mentionedUserIds]
        : [],
    );
    expect(mentioned).toEqual([[fresh.id], [fresh.id]]);
  });

  it('cuts long texts into an excerpt of 100 characters', async () => {
    const ana = await registerUser(svc, 'out_long');
    const ben = await registerUser(svc, 'out_long_b');
    const post = await newPost(svc, ben, `${'é'.repeat(150)} @${ana.username}`);
    await eventually(async () =>
      received.some((e) => e.payload?.$case === 'postMentioned' && e.payload.value.postId === post.id),
    );
    const event = received.find((e) => e.payload?.$case === 'postMentioned' && e.payload.value.postId === post.id);
    expect(event?.payload?.$case === 'postMentioned' && event.payload.value.excerpt).toBe(`${'é'.repeat(100)}…`);
  });

  it('gets no service credential with a wrong secret or an unknown service name', async () => {
    await expect(svc.auth.issueServiceToken({ service: 'post-service', clientSecret: 'wrong' })).rejects.toMatchObject({
      code: Status.UNAUTHENTICATED,
    });
    await expect(svc.auth.issueServiceToken({ service: 'stranger', clientSecret: SECRET })).rejects.toMatchObject({
      code: Status.UNAUTHENTICATED,
    });
  });
});
