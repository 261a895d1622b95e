-- GET /v1/timelines/home?limit=10 at a random depth, as post-service runs it: loadHomePage
-- (db/queries/post-views.ts) — one statement: a range scan of the viewer's materialised
-- home_feed rows (limit + 1) joined to their post views. loadShareViews is skipped, as in
-- the service, when no row is a share. Keep in step with that function.
\set k random(1, :users)
\set d random(0, 10)
-- Not part of the request: turns the random numbers into a viewer and a cursor.
SELECT u.id AS viewer, p.after_id AS after
  FROM bench_users u,
       LATERAL (SELECT after_id FROM bench_home_pages WHERE k = :k AND depth <= :d ORDER BY depth DESC LIMIT 1) p
 WHERE u.k = :k \gset
WITH page AS (
  SELECT f.id, f.post_id, f.share_id
    FROM home_feed f
   WHERE f.owner_id = :viewer::uuid AND f.id < :after::uuid
   ORDER BY f.id DESC
   LIMIT 11
)
SELECT page.id AS feed_id, page.post_id AS feed_post_id, page.share_id AS feed_share_id,
       p.id, p.author_id, p.text, p.visibility, p.created_at, p.edited_at,
       p.like_count, p.comment_count, p.share_count,
       a.username, a.display_name, a.avatar_url,
       EXISTS (SELECT 1 FROM post_likes l WHERE l.post_id = p.id AND l.user_id = :viewer::uuid) AS liked,
       EXISTS (SELECT 1 FROM shares s WHERE s.post_id = p.id AND s.user_id = :viewer::uuid) AS shared,
       p.hashtags, p.mentions
  FROM page
  LEFT JOIN posts p ON p.id = page.post_id
  LEFT JOIN authors a ON a.id = p.author_id
 ORDER BY page.id DESC;
