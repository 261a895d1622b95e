/**
 * What the post-service suites share: a real user-service (for tokens and the author
 * fallback) and a real post-service on free ports, clients, users, and direct SQL to seed
 * the user replica the way the event consumer will.
 */
import { CommentServiceDefinition } from '@wren/contracts/post/v1/comment_service.js';
import { Visibility } from '@wren/contracts/post/v1/post.js';
import { PostServiceDefinition } from '@wren/contracts/post/v1/post_service.js';
import { ReactionServiceDefinition } from '@wren/contracts/post/v1/reaction_service.js';
import { AuthServiceDefinition } from '@wren/contracts/user/v1/auth_service.js';
import { createClientPool, createLogger } from '@wren/platform';
import { createTestDatabase } from '@wren/testkit';
import { startUserServiceForTest, testEnv } from '@wren/testkit/user-service';
import { Kysely, PostgresDialect } from 'kysely';
import { Metadata } from 'nice-grpc';
import pg from 'pg';
import { readPostServiceConfig } from '../src/config.js';
import { copyIntoHomeFeed, removeFromHomeFeed } from '../src/db/queries/feed.js';
import { deleteFollowEdge, insertFollowEdge } from '../src/db/queries/replica.js';
import type { PostDatabase } from '../src/db/schema.js';
import { startPostService } from '../src/service.js';

export const PASSWORD = 'correct horse battery';
export const { VISIBILITY_PUBLIC: PUBLIC, VISIBILITY_FOLLOWERS: FOLLOWERS } = Visibility;

type Env = Record<string, string>;

export async function startTestServices(options: { userEnv?: Env; postEnv?: Env } = {}) {
  const users = await startUserServiceForTest({ env: options.userEnv ?? {} });
  const config = readPostServiceConfig({
    ...testEnv,
    GRPC_HOST: '127.0.0.1',
    GRPC_PORT: '0',
    DATABASE_URL: await createTestDatabase('posts'),
    USER_SERVICE_ADDR: users.addr,
    ...options.postEnv,
  });
  const service = await startPostService(config, createLogger('post-service', config.logLevel));
  const addr = `127.0.0.1:${service.port}`;
  const pool = createClientPool({ defaultDeadlineMs: 10_000 });
  const db = new Kysely<PostDatabase>({
    dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: config.databaseUrl, max: 3 }) }),
  });
  return {
    db,
    auth: pool.client(AuthServiceDefinition, users.addr),
    posts: pool.client(PostServiceDefinition, addr),
    comments: pool.client(CommentServiceDefinition, addr),
    reactions: pool.client(ReactionServiceDefinition, addr),
    async stop() {
      pool.close();
      await db.destroy();
      await service.stop();
      await users.service.stop();
    },
  };
}

export type TestServices = Awaited<ReturnType<typeof startTestServices>>;

export interface TestUser {
  id: string;
  username: string;
  accessToken: string;
}

let sequence = 0;

/**
 * Registers a real user (so their token verifies) and, unless `replica` is false, puts
 * them into the `authors` replica as the user.registered event would.
 */
export async function registerUser(svc: TestServices, prefix = 'user', options: { replica?: boolean } = {}) {
  sequence += 1;
  const username = `${prefix}_${process.pid % 10_000}_${sequence}`;
  const response = await svc.auth.register({
    username,
    email: `${username}@example.com`,
    password: PASSWORD,
    client: { userAgent: 'vitest', ip: '127.0.0.1' },
  });
  if (!response.account || !response.tokens) throw new Error('register returned no account or tokens');
  const user: TestUser = { id: response.account.id, username, accessToken: response.tokens.accessToken };
  if (options.replica !== false) await seedAuthor(svc, user);
  return user;
}

export async function seedAuthor(svc: TestServices, user: { id: string; username: string }): Promise<void> {
  await svc.db
    .insertInto('authors')
    .values({ id: user.id, username: user.username.toLowerCase(), display_name: `${user.username} shown` })
    .execute();
}

/** What the follow event will do: a row in the replica. */
/** A follow as user-service's event applies it: the replica edge and the home feed. */
export async function follow(svc: TestServices, follower: TestUser, followee: TestUser): Promise<void> {
  await svc.db.transaction().execute(async (trx) => {
    await insertFollowEdge(trx, follower.id, followee.id, new Date());
    await copyIntoHomeFeed(trx, follower.id, followee.id);
  });
}

export async function unfollow(svc: TestServices, follower: TestUser, followee: TestUser): Promise<void> {
  await svc.db.transaction().execute(async (trx) => {
    await deleteFollowEdge(trx, follower.id, followee.id);
    await removeFromHomeFeed(trx, follower.id, followee.id);
  });
}

/** Call options acting as `user`, optionally with an idempotency key. */
export function as(user: TestUser, idempotencyKey?: string) {
  const metadata = Metadata({ authorization: `Bearer ${user.accessToken}` });
  if (idempotencyKey !== undefined) metadata.set('idempotency-key', idempotencyKey);
  return { metadata };
}

export async function newPost(svc: TestServices, user: TestUser, text = 'hello world', visibility = PUBLIC) {
  const { post } = await svc.posts.createPost({ text, visibility }, as(user));
  if (!post) throw new Error('createPost returned no post');
  return post;
}

export async function newComment(svc: TestServices, user: TestUser, postId: string, text = 'a comment', parentId = '') {
  const { comment } = await svc.comments.createComment({ postId, text, parentId }, as(user));
  if (!comment) throw new Error('createComment returned no comment');
  return comment;
}

// One assertion for failing calls, shared by every service's tests.
export { type ExpectedError, expectGrpcError } from '@wren/testkit';

/** The ids of a timeline page, `share:<id>` for share items. */
export function itemIds(items: { item?: { $case: 'post' | 'share'; value: { id: string } } | undefined }[]) {
  return items.map((entry) => (entry.item?.$case === 'share' ? `share:${entry.item.value.id}` : entry.item?.value.id));
}

/** Waits a few milliseconds, so that the next row gets a later timestamp and UUIDv7. */
export function tick(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 3));
}
