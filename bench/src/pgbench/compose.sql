-- POST /v1/posts with an Idempotency-Key, as post-service runs it (rpc/posts.ts createPost):
-- authorAndMentioned's one look-up of the author and the mentioned names, then
-- insertComposedPost (db/queries/compose.ts): one statement that takes the idempotency key
-- with the response in it and, gated on that claim, writes the post (with its mentions and
-- hashtags), its feed item, its copies into the home_feed of the author and of every
-- follower (fan-out on write), the mention and hashtag index rows, and the outbox event
-- with its NOTIFY. Keep in step with those functions.
-- Differences: the event goes to bench_outbox (so no relay delivers it, and
-- notification-service does none of its work); its bytes and the stored response are filler
-- of about the real size; the mention ids are resolved in SQL here rather than passed in
-- (the service passes the ids the look-up found), and posts have no hashtags (neither do
-- DeathStarBench's texts).
\set k random(1, :users)
\set t random(1, :texts)
-- Not part of the request: the author, the text, and a UUIDv7 made the way uuidv7() does.
SELECT u.id AS author,
       encode(set_bit(set_bit(overlay(uuid_send(gen_random_uuid()) PLACING
         substring(int8send(floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint) FROM 3) FROM 1 FOR 6),
         52, 1), 53, 1), 'hex')::uuid AS pid
  FROM bench_users u WHERE u.k = :k \gset
SELECT id, username, display_name, avatar_url FROM authors
 WHERE id = :author OR username = ANY((SELECT mention_names FROM bench_texts WHERE k = :t)::text[]);
WITH claim AS (
  INSERT INTO idempotency_keys AS k (user_id, method, key, request_hash, claim_id, claimed_until, expires_at, response)
  VALUES (:author, '/wren.post.v1.PostService/CreatePost', :pid, sha256(convert_to(:pid, 'UTF8')), :pid, now(),
          now() + 86400000 * interval '1 millisecond', convert_to(repeat('x', 700), 'UTF8'))
  ON CONFLICT (user_id, method, key) DO UPDATE SET
    request_hash = excluded.request_hash, claim_id = excluded.claim_id, claimed_until = excluded.claimed_until,
    response = excluded.response, created_at = now(), expires_at = excluded.expires_at
  WHERE k.expires_at <= now() OR (k.response IS NULL AND k.claimed_until <= now())
  RETURNING 1 AS claimed
), mentioned_users AS (
  SELECT a.id AS user_id, a.username, m.ord AS position
    FROM bench_texts t, unnest(t.mention_names) WITH ORDINALITY AS m(name, ord) JOIN authors a ON a.username = m.name
   WHERE t.k = :t
), post AS (
  INSERT INTO posts (id, author_id, text, visibility, created_at, mentions, hashtags)
  SELECT :pid::uuid, :author::uuid, t.text, 'public', now(),
         (SELECT COALESCE(jsonb_agg(jsonb_build_object('user_id', user_id, 'username', username) ORDER BY position), '[]')
            FROM mentioned_users),
         '{}'::text[]
    FROM claim, bench_texts t WHERE t.k = :t
), item AS (
  INSERT INTO feed_items (id, actor_id, post_id, share_id, visibility)
  SELECT :pid::uuid, :author::uuid, :pid::uuid, NULL, 'public' FROM claim
), copies AS (
  INSERT INTO home_feed (owner_id, id, actor_id, post_id, share_id)
  SELECT owners.id, :pid::uuid, :author::uuid, :pid::uuid, NULL
    FROM claim,
         (SELECT follower_id AS id FROM follows WHERE followee_id = :author::uuid
          UNION ALL SELECT :author::uuid) AS owners
), mentioned AS (
  INSERT INTO post_mentions (post_id, user_id, position)
  SELECT :pid::uuid, m.user_id, (m.position - 1)::smallint FROM claim, mentioned_users m
), tagged AS (
  INSERT INTO post_hashtags (post_id, tag, position)
  SELECT :pid::uuid, h.tag, (h.position - 1)::smallint
    FROM claim, unnest('{}'::text[]) WITH ORDINALITY AS h(tag, position)
), published AS (
  -- The event id is the post's id, so that the bench can delete what pgbench wrote afterwards.
  INSERT INTO bench_outbox (event_id, event_type, event)
  SELECT :pid::uuid, 'postMentioned', convert_to(repeat('x', 700), 'UTF8') FROM claim
  RETURNING pg_notify('bench_outbox', '')
)
SELECT EXISTS (SELECT 1 FROM claim) AS written, (SELECT count(*) FROM published) AS events;
