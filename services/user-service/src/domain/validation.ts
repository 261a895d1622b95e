/**
 * The rules for what users may type: usernames, emails, passwords and profile text. Every
 * check reports into a FieldErrors collector, so a form comes back with all its problems at
 * once, and every string is bounded here before it can reach SQL.
 */
import { FieldErrors, httpsUrlProblem } from '@wren/platform';

export const USERNAME_MAX = 30;
export const EMAIL_MAX = 254;
export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 256;
export const DISPLAY_NAME_MAX = 50;
export const BIO_MAX = 300;
export const AVATAR_URL_MAX = 2048;

// ASCII only on purpose: a Unicode letter can lower-case into ASCII (the Kelvin sign K
// becomes "k"), which would let a look-alike name resolve to someone else's account.
const USERNAME_PATTERN = /^[A-Za-z0-9_]{3,30}$/;
// Deliberately loose (RFC 5322 is not worth enforcing; the mailbox proves itself), but
// ASCII only, so that JS and PostgreSQL agree on what lower-case means.
const EMAIL_PATTERN = /^[!#$%&'*+/=?^_`{|}~a-z0-9.-]{1,64}@[a-z0-9-]+(\.[a-z0-9-]+)+$/;
// C0/C1 controls, and the bidi overrides that let a name display as something it is not.
const CONTROL_CHARS = /[\p{Cc}\u202A-\u202E\u2066-\u2069]/u;

/** Length as people count it: a character outside the BMP (most emoji) is one, not two. */
export function codePointLength(value: string): number {
  let count = 0;
  for (const _ of value) count++;
  return count;
}

/** The stored form of a username, or undefined when it cannot be one. */
export function normalizeUsername(raw: string): string | undefined {
  return USERNAME_PATTERN.test(raw) ? raw.toLowerCase() : undefined;
}

/** The stored form of an email, or undefined when it cannot be one. */
export function normalizeEmail(raw: string): string | undefined {
  if (raw.length > EMAIL_MAX + 64) return undefined;
  const email = raw.trim().toLowerCase();
  return email.length <= EMAIL_MAX && EMAIL_PATTERN.test(email) ? email : undefined;
}

function checkUsername(errors: FieldErrors, raw: string): string {
  const username = normalizeUsername(raw);
  if (username === undefined) {
    errors.add('username', `must be 3 to ${USERNAME_MAX} characters: letters a-z, digits and underscores`);
  }
  return username ?? '';
}

function checkEmail(errors: FieldErrors, raw: string): string {
  const email = normalizeEmail(raw);
  if (email === undefined) errors.add('email', `must be a valid email address of at most ${EMAIL_MAX} characters`);
  return email ?? '';
}

/** A password someone is choosing now; passwords are never trimmed or otherwise altered here. */
export function checkNewPassword(errors: FieldErrors, field: string, password: string): void {
  // Counting stops mattering past the maximum; the UTF-16 length bounds the work.
  const length = password.length > PASSWORD_MAX * 2 ? PASSWORD_MAX + 1 : codePointLength(password);
  if (length < PASSWORD_MIN) errors.add(field, `must be at least ${PASSWORD_MIN} characters`);
  else if (length > PASSWORD_MAX) errors.add(field, `must be at most ${PASSWORD_MAX} characters`);
}

/**
 * A password presented to prove who someone is. Anything longer than a password can be is
 * wrong without hashing it, which also keeps huge inputs away from argon2.
 */
export function isPlausiblePassword(password: string): boolean {
  return password.length > 0 && password.length <= PASSWORD_MAX * 2 && codePointLength(password) <= PASSWORD_MAX;
}

export interface Registration {
  username: string;
  email: string;
  password: string;
}

export function validateRegistration(input: Registration): Registration {
  const errors = new FieldErrors();
  const username = checkUsername(errors, input.username);
  const email = checkEmail(errors, input.email);
  checkNewPassword(errors, 'password', input.password);
  errors.throwIfAny();
  return { username, email, password: input.password };
}

/** A login is a username or an email; undefined when it can be neither, so no lookup is needed. */
export function parseLogin(raw: string): { username: string } | { email: string } | undefined {
  if (raw.includes('@')) {
    const email = normalizeEmail(raw);
    return email === undefined ? undefined : { email };
  }
  const username = normalizeUsername(raw.trim());
  return username === undefined ? undefined : { username };
}

export interface ProfilePatch {
  displayName?: string;
  bio?: string;
  avatarUrl?: string;
}

function checkText(
  errors: FieldErrors,
  field: string,
  raw: string,
  max: number,
  allowNewlines: boolean,
): string | undefined {
  if (raw.length > max * 4) {
    errors.add(field, `must be at most ${max} characters`);
    return undefined;
  }
  // Browsers on some systems send CRLF; store one kind of line break.
  const text = (allowNewlines ? raw.replace(/\r\n/g, '\n') : raw).trim();
  if (CONTROL_CHARS.test(allowNewlines ? text.replaceAll('\n', '') : text)) {
    errors.add(
      field,
      allowNewlines ? 'must not contain control characters other than newlines' : 'must not contain control characters',
    );
    return undefined;
  }
  if (codePointLength(text) > max) {
    errors.add(field, `must be at most ${max} characters`);
    return undefined;
  }
  return text;
}

/**
 * What the API promises: an https URL, to a public host. Clients' browsers load it, so a
 * loopback or intranet address would point every viewer's browser into their own network.
 * The platform's URL guard checks the text only: the server never fetches the avatar, so
 * resolving the name here would add a DNS dependency to profile edits for nothing that a
 * name's later change would not undo.
 */
function checkAvatarUrl(errors: FieldErrors, raw: string): string | undefined {
  const value = raw.trim();
  if (value === '') return '';
  // The WHATWG parser repairs "https:example.com" and strips tabs; insist on the plain form.
  if (value.length > AVATAR_URL_MAX || !/^https:\/\/[^\s]+$/i.test(value) || CONTROL_CHARS.test(value)) {
    errors.add('avatar_url', `must be an absolute https URL of at most ${AVATAR_URL_MAX} characters`);
    return undefined;
  }
  const problem = httpsUrlProblem(value);
  if (problem !== undefined) {
    errors.add('avatar_url', problem);
    return undefined;
  }
  return value;
}

/** Only the fields present are checked and returned; an empty string clears a field. */
export function validateProfilePatch(input: { displayName?: string; bio?: string; avatarUrl?: string }): ProfilePatch {
  const errors = new FieldErrors();
  const patch: ProfilePatch = {};
  if (input.displayName !== undefined) {
    const value = checkText(errors, 'display_name', input.displayName, DISPLAY_NAME_MAX, false);
    if (value !== undefined) patch.displayName = value;
  }
  if (input.bio !== undefined) {
    const value = checkText(errors, 'bio', input.bio, BIO_MAX, true);
    if (value !== undefined) patch.bio = value;
  }
  if (input.avatarUrl !== undefined) {
    const value = checkAvatarUrl(errors, input.avatarUrl);
    if (value !== undefined) patch.avatarUrl = value;
  }
  errors.throwIfAny();
  return patch;
}
