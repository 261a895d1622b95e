import { type ExpressionBuilder, type Kysely, type Selectable, sql } from 'kysely';
import { uniqueViolationConstraint } from '../pg-errors.js';
import type { UserDatabase, UsersTable } from '../schema.js';

export type UserRow = Selectable<UsersTable>;

const PROFILE_COLUMNS = [
  'u.id',
  'u.username',
  'u.display_name',
  'u.bio',
  'u.avatar_url',
  'u.created_at',
  'u.follower_count',
  'u.following_count',
] as const;

/** What anyone may see of a user (no email, no hash), plus how they relate to the viewer. */
export interface ProfileRow
  extends Pick<
    UserRow,
    'id' | 'username' | 'display_name' | 'bio' | 'avatar_url' | 'created_at' | 'follower_count' | 'following_count'
  > {
  followed_by_viewer: boolean;
  follows_viewer: boolean;
}

export type UserSummaryRow = Pick<UserRow, 'id' | 'username' | 'display_name' | 'avatar_url'>;

export interface NewUser {
  id: string;
  username: string;
  email: string;
  passwordHash: string;
}

/**
 * Which unique field an insert collided on (names from the migration), or undefined when
 * the error is something else. Deciding by the constraint keeps registration race-safe.
 */
export function takenUserField(error: unknown): 'username' | 'email' | undefined {
  const constraint = uniqueViolationConstraint(error);
  if (constraint === 'users_username_unique') return 'username';
  if (constraint === 'users_email_unique') return 'email';
  return undefined;
}

export async function insertUser(db: Kysely<UserDatabase>, user: NewUser): Promise<UserRow> {
  return db
    .insertInto('users')
    .values({ id: user.id, username: user.username, email: user.email, password_hash: user.passwordHash })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function findUserById(db: Kysely<UserDatabase>, id: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

/** `login` is already normalised: a lower-cased username or email. */
export async function findUserByLogin(
  db: Kysely<UserDatabase>,
  login: { username: string } | { email: string },
): Promise<UserRow | undefined> {
  const query = db.selectFrom('users').selectAll();
  return (
    'username' in login ? query.where('username', '=', login.username) : query.where('email', '=', login.email)
  ).executeTakeFirst();
}

/** Locks the user row, so that password checks and changes on one account run one at a time. */
export async function lockUserPasswordHash(db: Kysely<UserDatabase>, id: string): Promise<string | undefined> {
  const row = await db.selectFrom('users').select('password_hash').where('id', '=', id).forUpdate().executeTakeFirst();
  return row?.password_hash;
}

export async function updatePasswordHash(
  db: Kysely<UserDatabase>,
  id: string,
  passwordHash: string,
  now: Date,
): Promise<void> {
  await db.updateTable('users').set({ password_hash: passwordHash, updated_at: now }).where('id', '=', id).execute();
}

export interface ProfileChanges {
  displayName?: string;
  bio?: string;
  avatarUrl?: string;
}

/** Changes only the fields given; the row as it is afterwards, or undefined if the user is gone. */
export async function updateProfile(
  db: Kysely<UserDatabase>,
  id: string,
  changes: ProfileChanges,
  now: Date,
): Promise<UserRow | undefined> {
  return db
    .updateTable('users')
    .set({
      ...(changes.displayName !== undefined && { display_name: changes.displayName }),
      ...(changes.bio !== undefined && { bio: changes.bio }),
      ...(changes.avatarUrl !== undefined && { avatar_url: changes.avatarUrl }),
      updated_at: now,
    })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
}

/** Deletes the user; sessions, refresh tokens and follows go with it by cascade. */
export async function deleteUser(db: Kysely<UserDatabase>, id: string): Promise<boolean> {
  const result = await db.deleteFrom('users').where('id', '=', id).executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/** Whether the viewer follows the user, and the other way round; false without a viewer. */
function viewerFlags(viewerId: string | undefined) {
  return (eb: ExpressionBuilder<UserDatabase & { u: UsersTable }, 'u'>) => {
    if (viewerId === undefined) {
      return [sql<boolean>`false`.as('followed_by_viewer'), sql<boolean>`false`.as('follows_viewer')];
    }
    return [
      eb
        .exists(
          eb
            .selectFrom('follows')
            .select(sql`1`.as('one'))
            .where('follower_id', '=', viewerId)
            .whereRef('followee_id', '=', 'u.id'),
        )
        .$castTo<boolean>()
        .as('followed_by_viewer'),
      eb
        .exists(
          eb
            .selectFrom('follows')
            .select(sql`1`.as('one'))
            .whereRef('follower_id', '=', 'u.id')
            .where('followee_id', '=', viewerId),
        )
        .$castTo<boolean>()
        .as('follows_viewer'),
    ];
  };
}

export async function findProfile(
  db: Kysely<UserDatabase>,
  by: { username: string } | { id: string },
  viewerId: string | undefined,
): Promise<ProfileRow | undefined> {
  const query = db.selectFrom('users as u').select(PROFILE_COLUMNS).select(viewerFlags(viewerId));
  return (
    'username' in by ? query.where('u.username', '=', by.username) : query.where('u.id', '=', by.id)
  ).executeTakeFirst();
}

/** Users by id or by (lower-cased) username; unknown ones are simply absent. */
export async function findUserSummaries(
  db: Kysely<UserDatabase>,
  ids: readonly string[],
  usernames: readonly string[],
): Promise<UserSummaryRow[]> {
  if (ids.length === 0 && usernames.length === 0) return [];
  return db
    .selectFrom('users')
    .select(['id', 'username', 'display_name', 'avatar_url'])
    .where((eb) => {
      const any = [];
      if (ids.length > 0) any.push(eb('id', 'in', ids));
      if (usernames.length > 0) any.push(eb('username', 'in', usernames));
      return eb.or(any);
    })
    .orderBy('username')
    .execute();
}
