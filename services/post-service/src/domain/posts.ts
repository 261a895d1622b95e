/** Writing posts: create, edit (keeping history), delete — each in one transaction. */
import { Visibility } from '@wren/contracts/post/v1/post.js';
import { FieldErrors, permissionDenied, uuidv7 } from '@wren/platform';
import type { Kysely } from 'kysely';
import { findAuthorsByUsernames } from '../db/queries/authors.js';
import { insertFeedItem } from '../db/queries/feed.js';
import { loadPostViews, type PostView } from '../db/queries/post-views.js';
import {
  deletePost,
  insertPost,
  insertRevision,
  lockPost,
  type PostTextRow,
  replaceMentionsAndHashtags,
  updatePostText,
} from '../db/queries/posts.js';
import type { PostDatabase, VisibilityValue } from '../db/schema.js';
import { postEvents, publish } from './events.js';
import { textField } from './requests.js';
import { extractHashtags, extractMentionNames } from './text.js';
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

/** Ids of the known users `text` @mentions (unknown names stay plain text), first mention first. */
export async function mentionedUserIds(db: Kysely<PostDatabase>, text: string): Promise<string[]> {
  const names = extractMentionNames(text);
  const known = new Map((await findAuthorsByUsernames(db, names)).map((row) => [row.username, row.id]));
  return [...new Set(names.flatMap((name) => known.get(name) ?? []))];
}

/** Stores the mentions and hashtags of `text`; returns who was mentioned. */
async function storeExtracts(db: Kysely<PostDatabase>, postId: string, text: string): Promise<string[]> {
  const mentionIds = await mentionedUserIds(db, text);
  await replaceMentionsAndHashtags(db, postId, mentionIds, extractHashtags(text));
  return mentionIds;
}

/** The post as `viewerId` sees it; the caller has already checked that they may. */
export async function postView(db: Kysely<PostDatabase>, postId: string, viewerId: string | undefined) {
  const view = (await loadPostViews(db, [postId], viewerId)).get(postId);
  if (!view) throw postNotFound();
  return view;
}

export async function createPost(trx: Kysely<PostDatabase>, authorId: string, post: NewPost): Promise<PostView> {
  const id = uuidv7();
  await insertPost(trx, { id, authorId, text: post.text, visibility: post.visibility, createdAt: new Date() });
  await insertFeedItem(trx, { id, actorId: authorId, postId: id, shareId: null, visibility: post.visibility });
  const mentioned = await storeExtracts(trx, id, post.text);
  // Everyone mentioned is linked in the text, but only those who may read the post hear of it.
  const told = await readersAmong(trx, { id, author_id: authorId, visibility: post.visibility }, mentioned);
  if (told.length > 0) await publish(trx, postEvents.mentioned(id, authorId, told, post.text));
  return postView(trx, id, authorId);
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
