-- The reference server's whole schema, in its own database (wren_reference): the least a
-- server needs to answer the bench's three requests. Timelines are materialised as Wren's
-- are (fan-out on write, services/post-service/src/db/queries/feed.ts): a post is copied
-- into the home timeline of its author and of every follower, so a home page is one range
-- scan. No foreign keys: Wren's home-feed copies carry none either.
CREATE TABLE users (
  id int PRIMARY KEY,
  username text UNIQUE NOT NULL
);

-- Keyed by followee first: the fan-out of a new post reads a followee's followers.
CREATE TABLE follows (
  followee int NOT NULL,
  follower int NOT NULL,
  PRIMARY KEY (followee, follower)
);

CREATE TABLE posts (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  author int NOT NULL,
  text text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX posts_by_author ON posts (author, id DESC);

CREATE TABLE home_timeline (
  owner int NOT NULL,
  post_id bigint NOT NULL,
  PRIMARY KEY (owner, post_id)
);
