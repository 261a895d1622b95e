import { ACCESS_TOKEN_TYPE, generateSigningKey, Status, uuidv7 } from '@wren/platform';
import { testSigningKeys } from '@wren/testkit';
import { importJWK, type JWK, SignJWT } from 'jose';
import { Metadata } from 'nice-grpc';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bearer,
  expectGrpcError,
  PASSWORD,
  registerUser,
  startTestService,
  type TestService,
  type TestUser,
} from './helpers.js';

let svc: TestService;

beforeAll(async () => {
  svc = await startTestService();
});
afterAll(async () => {
  await svc.stop();
});

describe('Refresh', () => {
  it('rotates: each refresh token works once and the new pair works', async () => {
    const user = await registerUser(svc, 'rotate');
    const first = await svc.auth.refresh({ refreshToken: user.refreshToken, client: undefined });
    expect(first.tokens?.refreshToken).not.toBe(user.refreshToken);
    const me = await svc.profiles.getMe({}, bearer(first.tokens?.accessToken ?? ''));
    expect(me.account?.id).toBe(user.id);
    const second = await svc.auth.refresh({ refreshToken: first.tokens?.refreshToken ?? '', client: undefined });
    expect(second.tokens?.refreshToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('treats a reused token as theft: the whole session dies', async () => {
    const user = await registerUser(svc, 'reuse');
    const next = await svc.auth.refresh({ refreshToken: user.refreshToken, client: undefined });
    await expectGrpcError(
      svc.auth.refresh({ refreshToken: user.refreshToken, client: undefined }),
      Status.UNAUTHENTICATED,
      {
        reason: 'REFRESH_TOKEN_REUSED',
      },
    );
    // The newest token of that session, and its access tokens, are dead too.
    await expectGrpcError(
      svc.auth.refresh({ refreshToken: next.tokens?.refreshToken ?? '', client: undefined }),
      Status.UNAUTHENTICATED,
      { reason: 'INVALID_REFRESH_TOKEN' },
    );
    await expectGrpcError(svc.profiles.getMe({}, bearer(next.tokens?.accessToken ?? '')), Status.UNAUTHENTICATED, {
      message: 'session is no longer active',
    });
    await expectGrpcError(svc.profiles.getMe({}, bearer(user.accessToken)), Status.UNAUTHENTICATED);
    const session = await svc.db
      .selectFrom('sessions')
      .select(['revoke_reason', 'revoked_at'])
      .where('user_id', '=', user.id)
      .executeTakeFirstOrThrow();
    expect(session.revoke_reason).toBe('refresh_token_reuse');
    expect(session.revoked_at).toBeInstanceOf(Date);
  });

  it('refuses unknown, malformed and expired tokens', async () => {
    await expectGrpcError(
      svc.auth.refresh({ refreshToken: 'A'.repeat(43), client: undefined }),
      Status.UNAUTHENTICATED,
    );
    await expectGrpcError(svc.auth.refresh({ refreshToken: 'not a token', client: undefined }), Status.UNAUTHENTICATED);
    await expectGrpcError(svc.auth.refresh({ refreshToken: '', client: undefined }), Status.UNAUTHENTICATED);
    const user = await registerUser(svc, 'expired');
    await svc.db
      .updateTable('sessions')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('user_id', '=', user.id)
      .execute();
    await expectGrpcError(
      svc.auth.refresh({ refreshToken: user.refreshToken, client: undefined }),
      Status.UNAUTHENTICATED,
      {
        reason: 'INVALID_REFRESH_TOKEN',
      },
    );
    // An expired session also stops its access tokens.
    await expectGrpcError(svc.profiles.getMe({}, bearer(user.accessToken)), Status.UNAUTHENTICATED);
  });
});

describe('Logout', () => {
  it('ends the session: its access and refresh tokens stop working, other sessions do not', async () => {
    const user = await registerUser(svc, 'logout');
    const other = await svc.auth.login({ login: user.username, password: PASSWORD, client: undefined });
    await svc.auth.logout({}, bearer(user.accessToken));
    await expectGrpcError(svc.auth.logout({}, bearer(user.accessToken)), Status.UNAUTHENTICATED);
    await expectGrpcError(svc.profiles.getMe({}, bearer(user.accessToken)), Status.UNAUTHENTICATED);
    await expectGrpcError(
      svc.auth.refresh({ refreshToken: user.refreshToken, client: undefined }),
      Status.UNAUTHENTICATED,
    );
    expect((await svc.profiles.getMe({}, bearer(other.tokens?.accessToken ?? ''))).account?.id).toBe(user.id);
  });
});

describe('ChangePassword', () => {
  it('checks the current password and the new one', async () => {
    const user = await registerUser(svc, 'chpw');
    await expectGrpcError(
      svc.auth.changePassword(
        { currentPassword: 'wrong password', newPassword: 'a brand new password' },
        bearer(user.accessToken),
      ),
      Status.INVALID_ARGUMENT,
      { fields: ['current_password'] },
    );
    await expectGrpcError(
      svc.auth.changePassword({ currentPassword: PASSWORD, newPassword: PASSWORD }, bearer(user.accessToken)),
      Status.INVALID_ARGUMENT,
      { fields: ['new_password'] },
    );
    await expectGrpcError(
      svc.auth.changePassword({ currentPassword: '', newPassword: 'short' }, bearer(user.accessToken)),
      Status.INVALID_ARGUMENT,
      { fields: ['current_password', 'new_password'] },
    );
  });

  it('revokes every other session and keeps the current one', async () => {
    const user = await registerUser(svc, 'chpw2');
    const other = await svc.auth.login({ login: user.username, password: PASSWORD, client: undefined });
    const newPassword = 'a brand new password';
    await svc.auth.changePassword({ currentPassword: PASSWORD, newPassword }, bearer(user.accessToken));

    expect((await svc.profiles.getMe({}, bearer(user.accessToken))).account?.id).toBe(user.id);
    await svc.auth.refresh({ refreshToken: user.refreshToken, client: undefined });
    await expectGrpcError(svc.profiles.getMe({}, bearer(other.tokens?.accessToken ?? '')), Status.UNAUTHENTICATED);
    await expectGrpcError(
      svc.auth.refresh({ refreshToken: other.tokens?.refreshToken ?? '', client: undefined }),
      Status.UNAUTHENTICATED,
    );
    await expectGrpcError(
      svc.auth.login({ login: user.username, password: PASSWORD, client: undefined }),
      Status.UNAUTHENTICATED,
    );
    const again = await svc.auth.login({ login: user.username, password: newPassword, client: undefined });
    expect(again.account?.id).toBe(user.id);
  });
});

describe('ListSessions and RevokeSession', () => {
  it('lists active sessions, most recently used first, marking the current one', async () => {
    const user = await registerUser(svc, 'list');
    const phone = await svc.auth.login({
      login: user.username,
      password: PASSWORD,
      client: { userAgent: 'phone', ip: '' },
    });
    const laptop = await svc.auth.login({
      login: user.username,
      password: PASSWORD,
      client: { userAgent: 'laptop', ip: '' },
    });
    // Using the first session makes it the most recent.
    await svc.auth.refresh({ refreshToken: user.refreshToken, client: undefined });

    const listed = await svc.auth.listSessions({}, bearer(phone.tokens?.accessToken ?? ''));
    expect(listed.sessions.map((s) => s.userAgent)).toEqual(['vitest', 'laptop', 'phone']);
    expect(listed.sessions.map((s) => s.current)).toEqual([false, false, true]);
    expect(listed.sessions.every((s) => s.createdAt instanceof Date && s.lastUsedAt instanceof Date)).toBe(true);

    const laptopId = listed.sessions[1]?.id ?? '';
    await svc.auth.revokeSession({ sessionId: laptopId }, bearer(phone.tokens?.accessToken ?? ''));
    // Revoking again is harmless.
    await svc.auth.revokeSession({ sessionId: laptopId }, bearer(phone.tokens?.accessToken ?? ''));
    await expectGrpcError(svc.profiles.getMe({}, bearer(laptop.tokens?.accessToken ?? '')), Status.UNAUTHENTICATED);
    const after = await svc.auth.listSessions({}, bearer(phone.tokens?.accessToken ?? ''));
    expect(after.sessions.map((s) => s.userAgent)).toEqual(['vitest', 'phone']);
  });

  it("cannot see or revoke another user's session", async () => {
    const owner = await registerUser(svc, 'owner');
    const intruder = await registerUser(svc, 'intruder');
    const ownerSessions = await svc.auth.listSessions({}, bearer(owner.accessToken));
    const ownerSessionId = ownerSessions.sessions[0]?.id ?? '';
    await expectGrpcError(
      svc.auth.revokeSession({ sessionId: ownerSessionId }, bearer(intruder.accessToken)),
      Status.NOT_FOUND,
      { reason: 'SESSION_NOT_FOUND' },
    );
    await expectGrpcError(
      svc.auth.revokeSession({ sessionId: uuidv7() }, bearer(intruder.accessToken)),
      Status.NOT_FOUND,
    );
    await expectGrpcError(
      svc.auth.revokeSession({ sessionId: 'nope' }, bearer(intruder.accessToken)),
      Status.INVALID_ARGUMENT,
      {
        fields: ['session_id'],
      },
    );
    expect((await svc.profiles.getMe({}, bearer(owner.accessToken))).account?.id).toBe(owner.id);
  });
});

describe('access tokens', () => {
  let user: TestUser;
  let keys: JWK[];

  beforeAll(async () => {
    user = await registerUser(svc, 'tokens');
    keys = (await testSigningKeys()).keys;
  });

  const claimsOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8'));

  async function sign(options: { audience?: string; issuer?: string; expiresIn?: string; key?: JWK }) {
    const jwk = options.key ?? (keys[0] as JWK);
    const claims = claimsOf(user.accessToken);
    return new SignJWT({ sid: claims.sid })
      .setProtectedHeader({ alg: 'EdDSA', kid: jwk.kid ?? '', typ: ACCESS_TOKEN_TYPE })
      .setIssuer(options.issuer ?? 'wren')
      .setAudience(options.audience ?? 'wren-api')
      .setSubject(user.id)
      .setIssuedAt()
      .setExpirationTime(options.expiresIn ?? '5m')
      .sign(await importJWK(jwk, 'EdDSA'));
  }

  it('accepts a token signed like the service signs them (so the refusals below are about one thing each)', async () => {
    expect((await svc.profiles.getMe({}, bearer(await sign({})))).account?.id).toBe(user.id);
  });

  it('refuses calls without a token, and malformed authorization metadata', async () => {
    await expectGrpcError(svc.profiles.getMe({}), Status.UNAUTHENTICATED, { reason: 'MISSING_TOKEN' });
    await expectGrpcError(svc.auth.listSessions({}), Status.UNAUTHENTICATED);
    await expectGrpcError(svc.follows.follow({ username: 'anyone' }), Status.UNAUTHENTICATED);
    await expectGrpcError(
      svc.profiles.getMe({}, { metadata: Metadata({ authorization: `Basic ${user.accessToken}` }) }),
      Status.UNAUTHENTICATED,
    );
  });

  it('refuses a tampered token', async () => {
    const [header, payload, signature] = user.accessToken.split('.');
    const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString('utf8'));
    const forged = Buffer.from(JSON.stringify({ ...claims, sub: uuidv7() })).toString('base64url');
    await expectGrpcError(svc.profiles.getMe({}, bearer(`${header}.${forged}.${signature}`)), Status.UNAUTHENTICATED, {
      reason: 'INVALID_TOKEN',
    });
  });

  it('refuses an unsigned (alg none) token', async () => {
    const kid = keys[0]?.kid;
    const header = Buffer.from(JSON.stringify({ alg: 'none', typ: ACCESS_TOKEN_TYPE, kid })).toString('base64url');
    const payload = user.accessToken.split('.')[1];
    await expectGrpcError(svc.profiles.getMe({}, bearer(`${header}.${payload}.`)), Status.UNAUTHENTICATED);
  });

  it('refuses a token for another audience or issuer, an expired one, and one from an unknown key', async () => {
    await expectGrpcError(
      svc.profiles.getMe({}, bearer(await sign({ audience: 'other-api' }))),
      Status.UNAUTHENTICATED,
      {
        reason: 'INVALID_TOKEN',
      },
    );
    await expectGrpcError(svc.profiles.getMe({}, bearer(await sign({ issuer: 'evil' }))), Status.UNAUTHENTICATED);
    await expectGrpcError(svc.profiles.getMe({}, bearer(await sign({ expiresIn: '-1m' }))), Status.UNAUTHENTICATED, {
      reason: 'TOKEN_EXPIRED',
    });
    const stranger = await generateSigningKey((keys[0] as JWK).kid);
    await expectGrpcError(svc.profiles.getMe({}, bearer(await sign({ key: stranger }))), Status.UNAUTHENTICATED);
  });

  it('refuses a validly signed token whose session does not exist', async () => {
    const jwk = keys[0] as JWK;
    const token = await new SignJWT({ sid: uuidv7() })
      .setProtectedHeader({ alg: 'EdDSA', kid: jwk.kid ?? '', typ: ACCESS_TOKEN_TYPE })
      .setIssuer('wren')
      .setAudience('wren-api')
      .setSubject(user.id)
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(await importJWK(jwk, 'EdDSA'));
    await expectGrpcError(svc.profiles.getMe({}, bearer(token)), Status.UNAUTHENTICATED, { reason: 'SESSION_ENDED' });
  });

  it('refuses a bad token even on a public method', async () => {
    await expectGrpcError(
      svc.profiles.getProfile({ username: user.username }, bearer('garbage')),
      Status.UNAUTHENTICATED,
    );
    expect((await svc.profiles.getProfile({ username: user.username })).profile?.id).toBe(user.id);
  });
});
