-- GET /v1/users/:username/posts?limit=10 at a random depth, by a random viewer, as
-- post-service runs it: loadUserPage (db/queries/post-views.ts) — one statement: the author
-- by username, whether the viewer sees followers-only items, the feed rows (limit + 1) and
-- their post views. Keep in step with that function.
\set v random(1, :users)
\set k random(1, :users)
\set d random(0, 10)
-- Not part of the request: turns the random numbers into a viewer, an author and a cursor.
SELECT v.id AS viewer, a.username AS author_name, p.after_id AS after
  FROM bench_users v, bench_users a,
       LATERAL (SELECT after_id FROM bench_user_pages WHERE k = :k AND depth <= :d ORDER BY depth DESC LIMIT 1) p
 WHERE v.k = :v AND a.k = :k \gset
WITH author AS (
  SELECT a.id,
         (a.id = :viewer::uuid
          OR EXISTS (SELECT 1 FROM follows w WHERE w.follower_id = :viewer::uuid AND w.followee_id = a.id))
           AS sees_followers_only
    FROM authors a
   WHERE a.username = :author_name
), page AS (
  SELECT f.id, f.post_id, f.share_id
    FROM feed_items f, author
   WHERE f.actor_id = author.id
     AND (author.sees_followers_only OR f.visibility = 'public')
     AND f.id < :after::uuid
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
  FROM author
  LEFT JOIN page ON true
  LEFT JOIN posts p ON p.id = page.post_id
  LEFT JOIN authors a ON a.id = p.author_id
 ORDER BY page.id DESC;
