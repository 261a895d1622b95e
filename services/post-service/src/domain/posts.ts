/** Writing posts: create, edit (keeping history), delete — each in one transaction. */
import { Visibility } from '@wren/contracts/post/v1/post.js';
import { FieldErrors, outboxRows, permissionDenied, uuidv7 } from '@wren/platform';
import type { Kysely } from 'kysely';
import type { AuthorRow } from '../db/queries/authors.js';
import { findAuthorsByUsernames } from '../db/queries/authors.js';
import type { ComposedPost } from '../db/queries/compose.js';
import { loadPostViews, type PostView } from '../db/queries/post-views.js';
import {
  deletePost,
  insertRevision,
  lockPost,
  type PostTextRow,
  replaceMentionsAndHashtags,
  updatePostText,
} from '../db/queries/posts.js';
import type { MentionJson, PostDatabase, VisibilityValue } from '../db/schema.js';
import { PRODUCER, postEvents, publish } from './events.js';
import { textField } from './requests.js';
import { extractHashtags, extractMentionNames, mentionsInOrder } from './text.js';
import { canSee, postNotFound, readersAmong } from './visibility.js';

export interface NewPost {
  text: string;
  visibility: VisibilityValue;
}

const VISIBILITIES: Partial<Record<Visibility, VisibilityValue>> = {
  [Visibility.VISIBILITY_PUBLIC]: 'public',
  [Visibility.VISIBILITY_FOLLOWERS]: 'followers',
};

/** Checks a CreatePost request before anything is claimed or written. */
export function validateNewPost(request: { text: string; visibility: Visibility }): NewPost {
  const errors = new FieldErrors();
  const text = textField(errors, 'text', request.text);
  const visibility = VISIBILITIES[request.visibility];
  if (!visibility) errors.add('visibility', 'must be VISIBILITY_PUBLIC or VISIBILITY_FOLLOWERS');
  errors.throwIfAny();
  return { text, visibility: visibility as VisibilityValue };
}

/** The known users `text` @mentions (unknown names stay plain text), first mention first. */
async function mentionedUsers(db: Kysely<PostDatabase>, text: string): Promise<MentionJson[]> {
  const names = extractMentionNames(text);
  const known = await findAuthorsByUsernames(db, names);
  return mentionsInOrder(names, new Map(known.map((row) => [row.username, row])));
}

/** Ids of the known users `text` @mentions, first mention first. */
export async function mentionedUserIds(db: Kysely<PostDatabase>, text: string): Promise<string[]> {
  return (await mentionedUsers(db, text)).map((mention) => mention.user_id);
}

/** Stores the mentions and hashtags of `text` with the post. */
async function storeExtracts(db: Kysely<PostDatabase>, postId: string, text: string): Promise<void> {
  await replaceMentionsAndHashtags(db, postId, await mentionedUsers(db, text), extractHashtags(text));
}

/** The post as `viewerId` sees it; the caller has already checked that they may. */
export async function postView(db: Kysely<PostDatabase>, postId: string, viewerId: string | undefined) {
  const view = (await loadPostViews(db, [postId], viewerId)).get(postId);
  if (!view) throw postNotFound();
  return view;
}

/**
 * Everything about a new post that is decided before it is written: its view (what the
 * author gets back, so nothing is read after the write) and what `insertComposedPost`
 * writes, including the mention event for those mentioned who may read it.
 */
export async function planPost(
  db: Kysely<PostDatabase>,
  parties: { author: AuthorRow; mentioned: MentionJson[] },
  post: NewPost,
): Promise<{ view: PostView; composed: ComposedPost }> {
  const { author, mentioned } = parties;
  const id = uuidv7();
  const createdAt = new Date();
  const hashtags = extractHashtags(post.text);
  // Everyone mentioned is linked in the text, but only those who may read the post hear of it.
  const told = await readersAmong(
    db,
    { id, author_id: author.id, visibility: post.visibility },
    mentioned.map((mention) => mention.user_id),
  );
  const actor = {
    userId: author.id,
    username: author.username,
    displayName: author.display_name,
    avatarUrl: author.avatar_url,
  };
  const [event] =
    told.length > 0
      ? outboxRows(PRODUCER, [postEvents.mentioned(id, author.id, told, post.text)], createdAt, [actor])
      : [];
  const view: PostView = {
    id,
    author,
    text: post.text,
    visibility: post.visibility,
    created_at: createdAt,
    edited_at: null,
    like_count: 0,
    comment_count: 0,
    share_count: 0,
    liked: false,
    shared: false,
    mentions: mentioned,
    hashtags,
  };
  const composed: ComposedPost = {
    id,
    authorId: author.id,
    text: post.text,
    visibility: post.visibility,
    createdAt,
    mentions: mentioned,
    hashtags,
    event,
  };
  return { view, composed };
}

/**
 * Locks the post for a change by its author. Someone who cannot see it gets NOT_FOUND;
 * someone who can, but is not the author, PERMISSION_DENIED.
 */
async function lockOwnPost(trx: Kysely<PostDatabase>, postId: string, userId: string): Promise<PostTextRow> {
  const post = await lockPost(trx, postId);
  if (!post || !(await canSee(trx, post, userId))) throw postNotFound();
  if (post.author_id !== userId) throw permissionDenied('only the author may change a post', 'NOT_POST_AUTHOR');
  return post;
}

export async function updatePost(db: Kysely<PostDatabase>, userId: string, postId: string, text: string) {
  return db.transaction().execute(async (trx) => {
    const post = await lockOwnPost(trx, postId, userId);
    // Saving the same text again is not an edit: no revision, no editedAt.
    if (post.text !== text) {
      const now = new Date();
      await insertRevision(trx, {
        id: uuidv7(),
        postId,
        text: post.text,
        writtenAt: post.edited_at ?? post.created_at,
        replacedAt: now,
      });
      await updatePostText(trx, postId, text, now);
      await storeExtracts(trx, postId, text);
    }
    return postView(trx, postId, userId);
  });
}

/** Comments, likes, shares, feed items and history go with the post (foreign-key cascades). */
export async function removePost(db: Kysely<PostDatabase>, userId: string, postId: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await lockOwnPost(trx, postId, userId);
    await deletePost(trx, postId);
    await publish(trx, postEvents.postDeleted(postId));
  });
}
