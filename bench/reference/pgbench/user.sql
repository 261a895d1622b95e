-- GET /v1/users/:username/posts?limit=10 at a random depth, as the reference server runs it
-- (../queries.ts userPage): one statement, the author by username and their posts by
-- (author, id desc), limit + 1. The viewer only signs the request: the reference has no
-- visibility rules, so the SQL does not need one. Keep in step with that function.
\set k random(1, :users)
\set d random(0, 10)
-- Not part of the request: turns the random numbers into an author and a cursor.
SELECT a.username AS author_name, p.after_id AS after
  FROM bench_users a,
       LATERAL (SELECT after_id FROM bench_user_pages WHERE k = :k AND depth <= :d ORDER BY depth DESC LIMIT 1) p
 WHERE a.k = :k \gset
SELECT p.id, u.username, p.text, p.created_at
  FROM users u
  LEFT JOIN LATERAL (
    SELECT id, text, created_at FROM posts
     WHERE author = u.id AND id < :after
     ORDER BY id DESC
     LIMIT 11
  ) p ON true
 WHERE u.username = :author_name
 ORDER BY p.id DESC;
