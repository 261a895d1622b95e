/**
 * A new post in one statement: one round trip to PostgreSQL for everything a compose writes.
 * Each step used to be a statement of its own (≈ 14 round trips with the transaction, the
 * idempotency claim and the response), and a round trip costs both Node and PostgreSQL more
 * CPU than most of these steps' work. The data-modifying CTEs run as one atomic statement;
 * their foreign-key checks run at its end, when the post row exists.
 *
 * With an idempotency key, the first CTE takes the key with the response already in it
 * (see platform's claim-in-statement.ts) and every write is gated on that claim.
 */
import { OUTBOX_CHANNEL, type OutboxRow } from '@wren/platform';
import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { MentionJson, PostDatabase, VisibilityValue } from '../schema.js';

export interface ComposedPost {
  id: string;
  authorId: string;
  text: string;
  visibility: VisibilityValue;
  createdAt: Date;
  mentions: readonly MentionJson[];
  hashtags: readonly string[];
  /** The event to publish with it (a mention event), if any. */
  event: OutboxRow | undefined;
}

/**
 * Writes the post, its feed item, its copies in the home feeds of its author and of every
 * follower (fan-out on write), its mention and hashtag index rows and its event (with the
 * NOTIFY that wakes the relay). With `claim`, only if the claim takes the key: the answer
 * says whether it did (always true without a claim).
 */
export async function insertComposedPost(
  db: Kysely<PostDatabase>,
  post: ComposedPost,
  claim: RawBuilder<unknown> | undefined,
): Promise<{ written: boolean }> {
  // Without a key the claim CTE selects one row and writes nothing, so every write below is
  // the same either way (two statement texts, each prepared once per connection).
  const claimed = claim ?? sql`SELECT 1 AS claimed`;
  const event = post.event;
  const { rows } = await sql<{ written: boolean }>`
    WITH claim AS (${claimed}),
    post AS (
      INSERT INTO posts (id, author_id, text, visibility, created_at, mentions, hashtags)
      SELECT ${post.id}::uuid, ${post.authorId}::uuid, ${post.text}, ${post.visibility}, ${post.createdAt},
             ${JSON.stringify(post.mentions)}::jsonb, ${[...post.hashtags]}::text[]
        FROM claim
    ), item AS (
      INSERT INTO feed_items (id, actor_id, post_id, share_id, visibility)
      SELECT ${post.id}::uuid, ${post.authorId}::uuid, ${post.id}::uuid, NULL, ${post.visibility} FROM claim
    ), copies AS (
      INSERT INTO home_feed (owner_id, id, actor_id, post_id, share_id)
      SELECT owners.id, ${post.id}::uuid, ${post.authorId}::uuid, ${post.id}::uuid, NULL
        FROM claim,
             (SELECT follower_id AS id FROM follows WHERE followee_id = ${post.authorId}::uuid
              UNION ALL SELECT ${post.authorId}::uuid) AS owners
    ), mentioned AS (
      INSERT INTO post_mentions (post_id, user_id, position)
      SELECT ${post.id}::uuid, m.user_id, (m.position - 1)::smallint
        FROM claim, unnest(${post.mentions.map((mention) => mention.user_id)}::uuid[]) WITH ORDINALITY AS m(user_id, position)
    ), tagged AS (
      INSERT INTO post_hashtags (post_id, tag, position)
      SELECT ${post.id}::uuid, h.tag, (h.position - 1)::smallint
        FROM claim, unnest(${[...post.hashtags]}::text[]) WITH ORDINALITY AS h(tag, position)
    ), published AS (
      INSERT INTO outbox (event_id, event_type, event)
      SELECT ${event?.id ?? null}::uuid, ${event?.type ?? null}, ${event?.bytes ?? null}::bytea
        FROM claim WHERE ${event?.id ?? null}::uuid IS NOT NULL
      RETURNING pg_notify(${OUTBOX_CHANNEL}, '')
    )
    SELECT EXISTS (SELECT 1 FROM claim) AS written, (SELECT count(*) FROM published) AS events
  `.execute(db);
  return { written: rows[0]?.written ?? false };
}
