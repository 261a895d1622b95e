-- Lookup tables for the reference's pgbench ceiling, made in wren_reference and dropped
-- after it (ceiling-target.ts), the same as ../../src/pgbench/setup.sql makes for Wren:
-- they turn pgbench's random numbers into a user and a timeline depth of 0-10 pages of 10.
DROP TABLE IF EXISTS bench_users, bench_home_pages, bench_user_pages, bench_texts, bench_mark;

CREATE TABLE bench_users AS
  SELECT row_number() OVER (ORDER BY id)::int AS k, id, username FROM users;
CREATE UNIQUE INDEX ON bench_users (k);

-- after_id of depth d is the id of the (10 d)-th item, as the cursor after d pages holds;
-- depth 0 is "no cursor" (the server's NO_CURSOR, larger than every id).
CREATE TABLE bench_home_pages AS
  SELECT u.k, d.depth, d.after_id
  FROM bench_users u
  CROSS JOIN LATERAL (
    SELECT 0 AS depth, 9223372036854775807::bigint AS after_id
    UNION ALL
    SELECT (rn / 10)::int, post_id FROM (
      SELECT h.post_id, row_number() OVER (ORDER BY h.post_id DESC) AS rn
      FROM home_timeline h WHERE h.owner = u.id ORDER BY h.post_id DESC LIMIT 100
    ) AS ranked
    WHERE rn % 10 = 0
  ) AS d;
CREATE UNIQUE INDEX ON bench_home_pages (k, depth);

CREATE TABLE bench_user_pages AS
  SELECT u.k, d.depth, d.after_id
  FROM bench_users u
  CROSS JOIN LATERAL (
    SELECT 0 AS depth, 9223372036854775807::bigint AS after_id
    UNION ALL
    SELECT (rn / 10)::int, id FROM (
      SELECT p.id, row_number() OVER (ORDER BY p.id DESC) AS rn
      FROM posts p WHERE p.author = u.id ORDER BY p.id DESC LIMIT 100
    ) AS ranked
    WHERE rn % 10 = 0
  ) AS d;
CREATE UNIQUE INDEX ON bench_user_pages (k, depth);

-- Posts above this id are compose.sql's, taken out again after the ceiling.
CREATE TABLE bench_mark AS SELECT coalesce(max(id), 0) AS last_id FROM posts;

ANALYZE bench_users;
ANALYZE bench_home_pages;
ANALYZE bench_user_pages;
