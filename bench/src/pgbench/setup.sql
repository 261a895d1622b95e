-- Lookup tables for the pgbench ceiling, made in the post-service database after a run
-- and dropped after it. pgbench draws random numbers; these turn them into the same kind
-- of arguments the HTTP requests had: a user, and a timeline depth of 0-10 pages of 10.
DROP TABLE IF EXISTS bench_users, bench_home_pages, bench_user_pages, bench_outbox, bench_texts;

CREATE TABLE bench_users AS
  SELECT row_number() OVER (ORDER BY id)::int AS k, id, username FROM authors WHERE username LIKE 'username\_%';
CREATE UNIQUE INDEX ON bench_users (k);

-- after_id of depth d is the id of the (10 d)-th item, as the cursor after d pages holds;
-- depth 0 is "no cursor" (the largest uuid: a filter that keeps everything).
CREATE TABLE bench_home_pages AS
  SELECT u.k, d.depth, d.after_id
  FROM bench_users u
  CROSS JOIN LATERAL (
    SELECT 0 AS depth, 'ffffffff-ffff-ffff-ffff-ffffffffffff'::uuid AS after_id
    UNION ALL
    SELECT (rn / 10)::int, id FROM (
      SELECT h.id, row_number() OVER (ORDER BY h.id DESC) AS rn
      FROM home_feed h WHERE h.owner_id = u.id ORDER BY h.id DESC LIMIT 100
    ) AS ranked
    WHERE rn % 10 = 0
  ) AS d;
CREATE UNIQUE INDEX ON bench_home_pages (k, depth);

CREATE TABLE bench_user_pages AS
  SELECT u.k, d.depth, d.after_id
  FROM bench_users u
  CROSS JOIN LATERAL (
    SELECT 0 AS depth, 'ffffffff-ffff-ffff-ffff-ffffffffffff'::uuid AS after_id
    UNION ALL
    SELECT (rn / 10)::int, id FROM (
      SELECT f.id, row_number() OVER (ORDER BY f.id DESC) AS rn
      FROM feed_items f WHERE f.actor_id = u.id ORDER BY f.id DESC LIMIT 100
    ) AS ranked
    WHERE rn % 10 = 0
  ) AS d;
CREATE UNIQUE INDEX ON bench_user_pages (k, depth);

-- compose.sql writes its event here instead of into `outbox`: the same row and indexes to
-- write, but no relay picks it up (its bytes are not a real event).
CREATE TABLE bench_outbox (LIKE outbox INCLUDING ALL);

ANALYZE bench_users;
ANALYZE bench_home_pages;
ANALYZE bench_user_pages;
