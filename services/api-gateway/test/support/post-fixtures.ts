/** Proto messages as post-service would answer them, for the scripted service. */
import { type Comment, type Post, type Share, Visibility } from '@wren/contracts/post/v1/post.js';
import { CREATED_AT } from './fixtures.js';

export const POST_ID = '0190f2a0-0000-7000-8000-0000000000b1';
export const COMMENT_ID = '0190f2a0-0000-7000-8000-0000000000c1';
export const EDITED_AT = new Date('2026-01-02T04:00:00.000Z');

export const author = {
  id: '0190f2a0-0000-7000-8000-000000000002',
  username: 'grace',
  displayName: 'Grace',
  avatarUrl: '',
};

export const post = (overrides: Partial<Post> = {}): Post => ({
  id: POST_ID,
  author,
  text: 'hello @ada #Wren',
  visibility: Visibility.VISIBILITY_PUBLIC,
  createdAt: CREATED_AT,
  editedAt: undefined,
  counts: { likes: 3, comments: 2, shares: 1 },
  viewer: { liked: true, shared: false },
  mentions: [{ userId: '0190f2a0-0000-7000-8000-000000000001', username: 'ada' }],
  hashtags: ['wren'],
  ...overrides,
});

export const share = (overrides: Partial<Share> = {}): Share => ({
  id: '0190f2a0-0000-7000-8000-0000000000d1',
  sharer: {
    id: '0190f2a0-0000-7000-8000-000000000001',
    username: 'ada',
    displayName: 'Ada',
    avatarUrl: 'https://img.example/ada.png',
  },
  quote: '',
  createdAt: EDITED_AT,
  post: post(),
  ...overrides,
});

export const comment = (overrides: Partial<Comment> = {}): Comment => ({
  id: COMMENT_ID,
  postId: POST_ID,
  parentId: '',
  author,
  text: 'nice',
  createdAt: CREATED_AT,
  editedAt: undefined,
  likeCount: 1,
  replyCount: 0,
  likedByViewer: true,
  ...overrides,
});
