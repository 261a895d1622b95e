-- POST /v1/posts with an Idempotency-Key, as post-service runs it: ensureAuthor's look-up,
-- the idempotency claim (its own transaction), then one transaction with insertPost,
-- insertFeedItem (the feed row, and its copy into the home_feed of the author and of every
-- follower: fan-out on write), the mention look-up and replaceMentionsAndHashtags, the outbox event and
-- its NOTIFY, loadPostViews of the new post, and the stored response.
-- Differences: the event goes to bench_outbox (so no relay delivers it, and
-- notification-service does none of its work), and its bytes and the stored response are
-- filler of about the real size.
\set k random(1, :users)
\set t random(1, :texts)
-- Not part of the request: the author, the text, and a UUIDv7 made the way uuidv7() does.
SELECT u.id AS author,
       encode(set_bit(set_bit(overlay(uuid_send(gen_random_uuid()) PLACING
         substring(int8send(floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint) FROM 3) FROM 1 FOR 6),
         52, 1), 53, 1), 'hex')::uuid AS pid
  FROM bench_users u WHERE u.k = :k \gset
SELECT id, username, display_name, avatar_url FROM authors WHERE id = :author;
INSERT INTO idempotency_keys AS k (user_id, method, key, request_hash, claim_id, claimed_until, expires_at)
VALUES (:author, '/wren.post.v1.PostService/CreatePost', :pid, sha256(convert_to(:pid, 'UTF8')), :pid,
        now() + 60000 * interval '1 millisecond', now() + 86400000 * interval '1 millisecond')
ON CONFLICT (user_id, method, key) DO UPDATE SET
  request_hash = excluded.request_hash, claim_id = excluded.claim_id, claimed_until = excluded.claimed_until,
  response = NULL, created_at = now(), expires_at = excluded.expires_at
WHERE k.expires_at <= now() OR (k.response IS NULL AND k.claimed_until <= now())
RETURNING claim_id;
BEGIN;
INSERT INTO posts (id, author_id, text, visibility, created_at)
  SELECT :pid::uuid, :author::uuid, text, 'public', now() FROM bench_texts WHERE k = :t;
INSERT INTO feed_items (id, actor_id, post_id, share_id, visibility) VALUES (:pid, :author, :pid, NULL, 'public');
INSERT INTO home_feed (owner_id, id, actor_id, post_id, share_id)
  SELECT owner_id, :pid::uuid, :author::uuid, :pid::uuid, NULL::uuid
    FROM (
      SELECT follower_id AS owner_id FROM follows WHERE followee_id = :author
      UNION ALL
      SELECT :author::uuid
    ) AS owners;
SELECT id, username FROM authors WHERE username = ANY((SELECT mention_names FROM bench_texts WHERE k = :t)::text[]);
DELETE FROM post_mentions WHERE post_id = :pid;
DELETE FROM post_hashtags WHERE post_id = :pid;
INSERT INTO post_mentions (post_id, user_id, position)
  SELECT :pid::uuid, a.id, (m.ord - 1)::smallint
    FROM bench_texts t, unnest(t.mention_names) WITH ORDINALITY AS m(name, ord) JOIN authors a ON a.username = m.name
   WHERE t.k = :t;
-- The event id is the post's id, so that the bench can delete what pgbench wrote afterwards.
INSERT INTO bench_outbox (event_id, event_type, event) VALUES (:pid, 'postMentioned', convert_to(repeat('x', 700), 'UTF8'));
SELECT pg_notify('bench_outbox', '');
SELECT p.id, p.author_id, p.text, p.visibility, p.created_at, p.edited_at, p.like_count, p.comment_count,
       p.share_count, a.username, a.display_name, a.avatar_url,
       EXISTS (SELECT 1 FROM post_likes l WHERE l.post_id = p.id AND l.user_id = :author) AS liked,
       EXISTS (SELECT 1 FROM shares s WHERE s.post_id = p.id AND s.user_id = :author) AS shared,
       ARRAY(SELECT h.tag FROM post_hashtags h WHERE h.post_id = p.id ORDER BY h.position) AS hashtags,
       COALESCE((
         SELECT json_agg(json_build_object('user_id', m.user_id, 'username', ma.username) ORDER BY m.position)
         FROM post_mentions m JOIN authors ma ON ma.id = m.user_id
         WHERE m.post_id = p.id), '[]'::json) AS mentions
  FROM posts p LEFT JOIN authors a ON a.id = p.author_id
 WHERE p.id = ANY(ARRAY[:pid::uuid]);
UPDATE idempotency_keys SET response = convert_to(repeat('x', 700), 'UTF8'), claimed_until = now()
 WHERE user_id = :author AND method = '/wren.post.v1.PostService/CreatePost' AND key = :pid AND claim_id = :pid;
COMMIT;
