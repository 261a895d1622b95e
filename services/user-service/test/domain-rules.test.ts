import { encodeCursor, Status, uuidv7 } from '@wren/platform';
import { type BadRequest, RichServerError } from 'nice-grpc-error-details';
import { describe, expect, it } from 'vitest';
import { sessionOrigin } from '../src/domain/client-info.js';
import { decodeFollowCursor, followCursorValues } from '../src/domain/follow-cursor.js';
import { hashPassword, verifyAgainstNothing, verifyPassword } from '../src/domain/passwords.js';
import { summaryKeys } from '../src/domain/profiles.js';
import { hashRefreshToken, isWellFormedRefreshToken, newRefreshToken } from '../src/domain/refresh-tokens.js';
import {
  codePointLength,
  normalizeEmail,
  normalizeUsername,
  parseLogin,
  validateProfilePatch,
  validateRegistration,
} from '../src/domain/validation.js';

/** The fields of the INVALID_ARGUMENT that `run` throws. */
function violatedFields(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(RichServerError);
    const rich = error as RichServerError;
    expect(rich.code).toBe(Status.INVALID_ARGUMENT);
    const badRequest = rich.extra.find((d) => d.$type === 'google.rpc.BadRequest') as BadRequest;
    return badRequest.fieldViolations.map((v) => v.field);
  }
  throw new Error('expected a violation');
}

describe('usernames and emails', () => {
  it('accepts 3-30 of [a-z0-9_] in any case and stores them lower-cased', () => {
    expect(normalizeUsername('Alice_01')).toBe('alice_01');
    expect(normalizeUsername('abc')).toBe('abc');
    expect(normalizeUsername('a'.repeat(30))).toBe('a'.repeat(30));
    for (const bad of ['ab', 'a'.repeat(31), 'al ice', 'alice!', 'ålice', ' alice', 'alice\n', '']) {
      expect(normalizeUsername(bad), bad).toBeUndefined();
    }
  });

  it('does not let a Unicode look-alike fold into an ASCII name', () => {
    // U+212A KELVIN SIGN lower-cases to "k".
    expect('\u212Aate'.toLowerCase()).toBe('kate');
    expect(normalizeUsername('\u212Aate')).toBeUndefined();
  });

  it('trims and lower-cases emails and bounds them at 254', () => {
    expect(normalizeEmail('  Ada@Example.COM ')).toBe('ada@example.com');
    expect(normalizeEmail(`${'a'.repeat(64)}@${'b'.repeat(185)}.com`)).toHaveLength(254);
    expect(normalizeEmail(`${'a'.repeat(64)}@${'b'.repeat(186)}.com`)).toBeUndefined();
    expect(normalizeEmail(`${'a'.repeat(65)}@example.com`)).toBeUndefined();
    for (const bad of [
      'ada',
      'ada@',
      '@example.com',
      'ada@example',
      'a da@example.com',
      'ada@exa mple.com',
      'ädä@example.com',
    ]) {
      expect(normalizeEmail(bad), bad).toBeUndefined();
    }
  });

  it('tells usernames from emails in a login', () => {
    expect(parseLogin(' Ada ')).toEqual({ username: 'ada' });
    expect(parseLogin('Ada@Example.com')).toEqual({ email: 'ada@example.com' });
    expect(parseLogin('no way')).toBeUndefined();
    expect(parseLogin('x'.repeat(5000))).toBeUndefined();
  });
});

describe('registration', () => {
  it('reports all three fields at once', () => {
    expect(violatedFields(() => validateRegistration({ username: 'x', email: 'y', password: 'z' }))).toEqual([
      'username',
      'email',
      'password',
    ]);
  });

  it('counts password length in characters: 10 to 256', () => {
    expect(codePointLength('🐦🐦')).toBe(2);
    expect(
      violatedFields(() => validateRegistration({ username: 'ada', email: 'a@b.co', password: '🐦'.repeat(9) })),
    ).toEqual(['password']);
    expect(validateRegistration({ username: 'Ada', email: 'A@B.co', password: '🐦'.repeat(10) })).toEqual({
      username: 'ada',
      email: 'a@b.co',
      password: '🐦'.repeat(10),
    });
    expect(
      validateRegistration({ username: 'ada', email: 'a@b.co', password: '🐦'.repeat(256) }).password,
    ).toHaveLength(512);
    expect(
      violatedFields(() => validateRegistration({ username: 'ada', email: 'a@b.co', password: 'p'.repeat(257) })),
    ).toEqual(['password']);
  });
});

describe('profile patches', () => {
  it('keeps only the fields present, trimmed', () => {
    expect(validateProfilePatch({})).toEqual({});
    expect(validateProfilePatch({ bio: ' a\r\nb ' })).toEqual({ bio: 'a\nb' });
    expect(validateProfilePatch({ displayName: '', avatarUrl: ' ' })).toEqual({ displayName: '', avatarUrl: '' });
    expect(validateProfilePatch({ avatarUrl: 'HTTPS://Example.com/a.png' })).toEqual({
      avatarUrl: 'HTTPS://Example.com/a.png',
    });
  });

  it('refuses control characters, overlong text and non-http URLs', () => {
    expect(
      violatedFields(() => validateProfilePatch({ displayName: 'a\u0000', bio: 'b\u001b', avatarUrl: 'data:,x' })),
    ).toEqual(['display_name', 'bio', 'avatar_url']);
    expect(violatedFields(() => validateProfilePatch({ bio: 'é'.repeat(301) }))).toEqual(['bio']);
    expect(violatedFields(() => validateProfilePatch({ bio: 'x'.repeat(1_000_000) }))).toEqual(['bio']);
    expect(validateProfilePatch({ bio: 'é'.repeat(300) }).bio).toHaveLength(300);
  });
});

describe('passwords', () => {
  it('hashes with argon2id at the OWASP minimum and verifies NFC-equivalent input', async () => {
    const composed = 'caf\u00e9 au lait!';
    const decomposed = 'cafe\u0301 au lait!';
    const hash = await hashPassword(composed);
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await verifyPassword(hash, composed)).toBe(true);
    expect(await verifyPassword(hash, decomposed)).toBe(true);
    expect(await verifyPassword(hash, 'cafe au lait!')).toBe(false);
    expect(await hashPassword(composed)).not.toBe(hash);
  });

  it('spends a real verification on unknown logins', async () => {
    const started = performance.now();
    expect(await verifyAgainstNothing('whatever password')).toBe(false);
    // A verify at m=19 MiB takes milliseconds; returning instantly would give the game away.
    expect(performance.now() - started).toBeGreaterThan(2);
  });
});

describe('refresh tokens', () => {
  it('are 32 random bytes in base64url, stored as their SHA-256', () => {
    const a = newRefreshToken();
    const b = newRefreshToken();
    expect(a.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(a.token, 'base64url')).toHaveLength(32);
    expect(a.token).not.toBe(b.token);
    expect(a.hash).toEqual(hashRefreshToken(a.token));
    expect(a.hash).toHaveLength(32);
    expect(hashRefreshToken('abc').toString('hex')).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
    expect(isWellFormedRefreshToken(a.token)).toBe(true);
    expect(isWellFormedRefreshToken(`${a.token}=`)).toBe(false);
    expect(isWellFormedRefreshToken('')).toBe(false);
  });
});

describe('follow cursors', () => {
  it('round-trip exactly and refuse anything this service did not write', () => {
    const key = { followedAt: new Date('2026-05-06T07:08:09.123Z'), userId: uuidv7() };
    expect(decodeFollowCursor(encodeCursor(followCursorValues(key)))).toEqual(key);
    expect(decodeFollowCursor('')).toBeUndefined();
    for (const bad of [
      encodeCursor(['2026-05-06T07:08:09Z', key.userId]),
      encodeCursor(['2026-02-30T07:08:09.123Z', key.userId]),
      encodeCursor(['2026-05-06T07:08:09.123Z', 'x']),
      'not base64!',
    ]) {
      expect(
        violatedFields(() => decodeFollowCursor(bad)),
        bad,
      ).toEqual(['page_token']);
    }
  });
});

describe('batch look-ups and client info', () => {
  it('de-duplicates keys and drops impossible usernames', () => {
    const id = uuidv7();
    expect(summaryKeys([id, id], ['Ada', 'ada', 'no way'])).toEqual({ ids: [id], usernames: ['ada'] });
    expect(violatedFields(() => summaryKeys(['x'], []))).toEqual(['user_ids']);
  });

  it('bounds and cleans what the client says about itself', () => {
    expect(sessionOrigin(undefined)).toEqual({ userAgent: '', ip: '' });
    const origin = sessionOrigin({ userAgent: `${'🐦'.repeat(300)}`, ip: `1.2.3.4\r\n${'9'.repeat(100)}` });
    expect(codePointLength(origin.userAgent)).toBe(256);
    expect(origin.ip).toBe(`1.2.3.4${'9'.repeat(55)}`);
  });
});
