/**
 * The account rules that need a password: opening an account, logging in, changing the
 * password and deleting the account. Each write happens in one transaction.
 */
import { alreadyExists, FieldErrors, invalidArgument, type UserCaller, unauthenticated, uuidv7 } from '@wren/platform';
import type { UserServiceContext } from '../context.js';
import { isForeignKeyViolation } from '../db/pg-errors.js';
import { revokeOtherSessions } from '../db/queries/sessions.js';
import {
  deleteUser,
  findUserByLogin,
  insertUser,
  lockUserPasswordHash,
  takenUserField,
  type UserRow,
  updatePasswordHash,
} from '../db/queries/users.js';
import type { SessionOrigin } from './client-info.js';
import { publish, userEvents } from './events.js';
import { hashPassword, verifyAgainstNothing, verifyPassword } from './passwords.js';
import { openSession, type SessionGrant } from './sessions.js';
import {
  checkNewPassword,
  isPlausiblePassword,
  parseLogin,
  type Registration,
  validateRegistration,
} from './validation.js';

export interface SignedIn {
  user: UserRow;
  grant: SessionGrant;
}

export const INVALID_CREDENTIALS = 'invalid login or password';
export const SESSION_ENDED = 'session is no longer active';

export async function register(ctx: UserServiceContext, input: Registration, origin: SessionOrigin): Promise<SignedIn> {
  const registration = validateRegistration(input);
  const passwordHash = await hashPassword(registration.password);
  try {
    // User and first session together: a failure leaves no account without a way in.
    return await ctx.database.db.transaction().execute(async (trx) => {
      const user = await insertUser(trx, {
        id: uuidv7(),
        username: registration.username,
        email: registration.email,
        passwordHash,
      });
      await publish(trx, userEvents.registered(user));
      return { user, grant: await openSession(ctx, trx, user.id, origin) };
    });
  } catch (error) {
    const taken = takenUserField(error);
    if (taken === 'username') throw alreadyExists('username is already taken', 'USERNAME_TAKEN', 'username');
    if (taken === 'email') throw alreadyExists('an account with this email already exists', 'EMAIL_TAKEN', 'email');
    throw error;
  }
}

/** Unknown login and wrong password answer alike, in the same time. */
export async function login(
  ctx: UserServiceContext,
  input: { login: string; password: string },
  origin: SessionOrigin,
): Promise<SignedIn> {
  const parsed = parseLogin(input.login);
  // Neither can belong to an account, so refusing them early reveals nothing.
  if (parsed === undefined || !isPlausiblePassword(input.password))
    throw unauthenticated(INVALID_CREDENTIALS, 'INVALID_CREDENTIALS');
  const user = await findUserByLogin(ctx.database.db, parsed);
  const valid = user
    ? await verifyPassword(user.password_hash, input.password)
    : await verifyAgainstNothing(input.password);
  if (!user || !valid) throw unauthenticated(INVALID_CREDENTIALS, 'INVALID_CREDENTIALS');
  try {
    const grant = await ctx.database.db.transaction().execute((trx) => openSession(ctx, trx, user.id, origin));
    return { user, grant };
  } catch (error) {
    // The account was deleted between the password check and the new session.
    if (isForeignKeyViolation(error)) throw unauthenticated(INVALID_CREDENTIALS, 'INVALID_CREDENTIALS');
    throw error;
  }
}

const samePassword = (a: string, b: string) => a.normalize('NFC') === b.normalize('NFC');

/** Sets a new password and ends every other session of the user; the calling one stays. */
export async function changePassword(
  ctx: UserServiceContext,
  caller: UserCaller,
  input: { currentPassword: string; newPassword: string },
): Promise<void> {
  const errors = new FieldErrors();
  if (input.currentPassword === '') errors.add('current_password', 'is required');
  checkNewPassword(errors, 'new_password', input.newPassword);
  if (errors.isEmpty && samePassword(input.currentPassword, input.newPassword)) {
    errors.add('new_password', 'must differ from the current password');
  }
  errors.throwIfAny();

  const now = new Date();
  const outcome = await ctx.database.db.transaction().execute(async (trx) => {
    // The row lock makes two concurrent changes run one after the other.
    const currentHash = await lockUserPasswordHash(trx, caller.userId);
    if (currentHash === undefined) return 'gone';
    if (!isPlausiblePassword(input.currentPassword)) return 'wrong';
    if (!(await verifyPassword(currentHash, input.currentPassword))) return 'wrong';
    await updatePasswordHash(trx, caller.userId, await hashPassword(input.newPassword), now);
    await revokeOtherSessions(trx, caller.userId, caller.sessionId, 'password_changed', now);
    return 'changed';
  });
  if (outcome === 'gone') throw unauthenticated(SESSION_ENDED, 'SESSION_ENDED');
  if (outcome === 'wrong')
    throw invalidArgument({ field: 'current_password', description: 'is not the current password' });
}

/** Deletes the account; sessions, tokens and follows go by cascade, and the follow trigger fixes others' counts. */
export async function deleteAccount(ctx: UserServiceContext, caller: UserCaller, password: string): Promise<void> {
  if (password === '') throw invalidArgument({ field: 'password', description: 'is required' });
  const outcome = await ctx.database.db.transaction().execute(async (trx) => {
    const currentHash = await lockUserPasswordHash(trx, caller.userId);
    if (currentHash === undefined) return 'gone';
    if (!isPlausiblePassword(password) || !(await verifyPassword(currentHash, password))) return 'wrong';
    await deleteUser(trx, caller.userId);
    await publish(trx, userEvents.deleted(caller.userId));
    return 'deleted';
  });
  if (outcome === 'gone') throw unauthenticated(SESSION_ENDED, 'SESSION_ENDED');
  if (outcome === 'wrong') throw invalidArgument({ field: 'password', description: 'is not the current password' });
}
