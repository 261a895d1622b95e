-- GET /v1/timelines/home?limit=10 at a random depth, as the reference server runs it
-- (../queries.ts homePage): one range scan of the viewer's home_timeline, limit + 1,
-- joined to the posts and their authors. Keep in step with that function.
\set k random(1, :users)
\set d random(0, 10)
-- Not part of the request: turns the random numbers into a viewer and a cursor.
SELECT u.id AS viewer, p.after_id AS after
  FROM bench_users u,
       LATERAL (SELECT after_id FROM bench_home_pages WHERE k = :k AND depth <= :d ORDER BY depth DESC LIMIT 1) p
 WHERE u.k = :k \gset
SELECT p.id, u.username, p.text, p.created_at
  FROM home_timeline h
  JOIN posts p ON p.id = h.post_id
  JOIN users u ON u.id = p.author
 WHERE h.owner = :viewer AND h.post_id < :after
 ORDER BY h.post_id DESC
 LIMIT 11;
