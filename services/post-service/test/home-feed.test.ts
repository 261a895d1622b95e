/**
 * Home timelines are materialised (fan-out on write): what a page shows is copied into the
 * reader's home_feed when posts, shares and follows happen. These tests pin the copies.
 */
import { createDatabase, createLogger, migrateToLatest } from '@wren/platform';
import { createTestDatabase } from '@wren/testkit';
import { type Kysely, Migrator, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrations } from '../src/db/migrations/index.js';
import { FOLLOW_BACKFILL_ITEMS } from '../src/db/queries/feed.js';
import type { PostDatabase } from '../src/db/schema.js';
import {
  as,
  follow,
  itemIds,
  newPost,
  registerUser,
  startTestServices,
  type TestServices,
  unfollow,
} from './helpers.js';

let svc: TestServices;
beforeAll(async () => {
  svc = await startTestServices();
});
afterAll(async () => {
  await svc?.stop();
});

const homeRows = async (ownerId: string) =>
  (await svc.db.selectFrom('home_feed').select(['id', 'actor_id']).where('owner_id', '=', ownerId).execute()).map(
    (row) => row.id,
  );

describe('home feed copies', () => {
  it('a post reaches its author and each follower the moment it is made, nobody else', async () => {
    const ann = await registerUser(svc, 'fan_ann');
    const bob = await registerUser(svc, 'fan_bob');
    const eve = await registerUser(svc, 'fan_eve');
    await follow(svc, bob, ann);
    const created = await newPost(svc, ann, 'copied at once');
    expect(await homeRows(ann.id)).toContain(created.id);
    expect(await homeRows(bob.id)).toContain(created.id);
    expect(await homeRows(eve.id)).not.toContain(created.id);
  });

  it(`a follow copies in the followee's latest ${FOLLOW_BACKFILL_ITEMS} items; an unfollow takes them all out`, async () => {
    const ann = await registerUser(svc, 'bf_ann');
    const bob = await registerUser(svc, 'bf_bob');
    // More items than a follow copies: insert them directly, they only need to exist.
    await svc.db.transaction().execute(async (trx) => {
      await sql`
        WITH made AS (
          INSERT INTO posts (id, author_id, text, visibility, created_at)
          SELECT gen_random_uuid(), ${ann.id}::uuid, 'p' || n, 'public', now() FROM generate_series(1, ${FOLLOW_BACKFILL_ITEMS + 5}) n
          RETURNING id
        )
        INSERT INTO feed_items (id, actor_id, post_id, visibility) SELECT id, ${ann.id}::uuid, id, 'public' FROM made
      `.execute(trx);
    });
    await follow(svc, bob, ann);
    const copied = await svc.db
      .selectFrom('home_feed')
      .select(sql<number>`count(*)`.as('n'))
      .where('owner_id', '=', bob.id)
      .where('actor_id', '=', ann.id)
      .executeTakeFirstOrThrow();
    expect(copied.n).toBe(FOLLOW_BACKFILL_ITEMS);
    await unfollow(svc, bob, ann);
    expect(await homeRows(bob.id)).toEqual([]);
  });

  it("a deleted post leaves every follower's home page", async () => {
    const ann = await registerUser(svc, 'del_ann');
    const bob = await registerUser(svc, 'del_bob');
    await follow(svc, bob, ann);
    const gone = await newPost(svc, ann, 'soon gone');
    const kept = await newPost(svc, ann, 'stays');
    await svc.posts.deletePost({ postId: gone.id }, as(ann));
    const page = await svc.posts.getHomeTimeline({}, as(bob));
    expect(itemIds(page.items)).toEqual([kept.id]);
    expect(await homeRows(bob.id)).toEqual([kept.id]);
  });
});

describe('home feed copies of shares', () => {
  it("a share reaches the sharer's followers, and an unshare takes it back out", async () => {
    const ann = await registerUser(svc, 'sh_ann');
    const bob = await registerUser(svc, 'sh_bob');
    const carl = await registerUser(svc, 'sh_carl');
    await follow(svc, bob, ann);
    const original = await newPost(svc, carl, 'worth sharing');
    const { share } = await svc.reactions.sharePost({ postId: original.id }, as(ann));
    expect(await homeRows(bob.id)).toContain(share?.id);
    await svc.reactions.unsharePost({ postId: original.id }, as(ann));
    expect(await homeRows(bob.id)).not.toContain(share?.id);
  });
});

describe('the home-feed migration', () => {
  let db: Kysely<PostDatabase>;
  let close: () => Promise<void>;
  beforeAll(async () => {
    const database = createDatabase<PostDatabase>({
      url: await createTestDatabase('home_feed_backfill'),
      max: 2,
      applicationName: 'test',
    });
    db = database.db;
    close = database.close;
  });
  afterAll(() => close?.());

  it('fills the home feeds from the data that was there before it', async () => {
    const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
    const before = await migrator.migrateTo('2026-11-25T1400-outbox');
    expect(before.error).toBeUndefined();
    const [ann, bob, eve] = [
      '0190a000-0000-7000-8000-00000000000a',
      '0190a000-0000-7000-8000-00000000000b',
      '0190a000-0000-7000-8000-00000000000e',
    ];
    const post = '0190a000-0000-7000-8000-0000000000f1';
    await sql`INSERT INTO follows (follower_id, followee_id) VALUES (${bob}, ${ann})`.execute(db);
    await sql`INSERT INTO posts (id, author_id, text, visibility, created_at) VALUES (${post}, ${ann}, 'old', 'public', now())`.execute(
      db,
    );
    await sql`INSERT INTO feed_items (id, actor_id, post_id, visibility) VALUES (${post}, ${ann}, ${post}, 'public')`.execute(
      db,
    );
    await migrateToLatest(db as Kysely<unknown>, migrations, createLogger('test', 'silent'));
    const rows = await db.selectFrom('home_feed').select(['owner_id', 'id']).orderBy('owner_id').execute();
    expect(rows).toEqual([
      { owner_id: ann, id: post },
      { owner_id: bob, id: post },
    ]);
    expect(rows.some((row) => row.owner_id === eve)).toBe(false);
  });
});
