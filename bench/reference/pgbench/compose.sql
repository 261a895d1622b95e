-- POST /v1/posts as the reference server runs it (../queries.ts createPost): one transaction
-- with the post (and its author's name for the answer), then its copy into the home
-- timeline of every follower and of the author (fan-out on write).
\set k random(1, :users)
\set t random(1, :texts)
-- Not part of the request: the author.
SELECT u.id AS author FROM bench_users u WHERE u.k = :k \gset
BEGIN;
WITH author AS (SELECT id, username FROM users WHERE id = :author),
     post AS (INSERT INTO posts (author, text) SELECT id, (SELECT text FROM bench_texts WHERE k = :t) FROM author
              RETURNING id, text, created_at)
SELECT post.id AS pid, author.username AS author_name, post.created_at AS created
  FROM post, author \gset
INSERT INTO home_timeline (owner, post_id)
SELECT follower, :pid::bigint FROM follows WHERE followee = :author
UNION ALL
SELECT :author::int, :pid::bigint;
COMMIT;
