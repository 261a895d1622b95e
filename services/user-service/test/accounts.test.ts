import { Status } from '@wren/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bearer,
  expectGrpcError,
  PASSWORD,
  registerUser,
  startTestService,
  type TestService,
  uniqueName,
} from './helpers.js';

let svc: TestService;

beforeAll(async () => {
  svc = await startTestService();
});
afterAll(async () => {
  await svc.stop();
});

describe('Register', () => {
  it('creates the account lower-cased, with a first session and a token pair', async () => {
    const name = uniqueName('Reg');
    const before = Date.now();
    const response = await svc.auth.register({
      username: name.toUpperCase(),
      email: `  ${name.toUpperCase()}@Example.COM `,
      password: PASSWORD,
      client: { userAgent: 'agent/1.0', ip: '203.0.113.7' },
    });
    expect(response.account).toMatchObject({
      username: name.toLowerCase(),
      email: `${name.toLowerCase()}@example.com`,
      displayName: '',
      followerCount: 0,
      followingCount: 0,
    });
    const tokens = response.tokens;
    expect(tokens?.expiresIn).toBe(900);
    expect(tokens?.refreshToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const expiresAt = tokens?.refreshTokenExpiresAt?.getTime() ?? 0;
    expect(expiresAt).toBeGreaterThanOrEqual(before + 30 * 24 * 3600 * 1000 - 1000);
    expect(expiresAt).toBeLessThanOrEqual(Date.now() + 30 * 24 * 3600 * 1000 + 1000);

    const me = await svc.profiles.getMe({}, bearer(tokens?.accessToken ?? ''));
    expect(me.account?.id).toBe(response.account?.id);

    const stored = await svc.db
      .selectFrom('users')
      .select('password_hash')
      .where('id', '=', response.account?.id ?? '')
      .executeTakeFirstOrThrow();
    expect(stored.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    // Only the SHA-256 of the refresh token is stored.
    const tokenRows = await svc.db.selectFrom('refresh_tokens').selectAll().execute();
    expect(tokenRows.some((row) => row.token_hash.toString('base64url') === tokens?.refreshToken)).toBe(false);
  });

  it('refuses a username taken in another case, and a taken email, writing nothing', async () => {
    const alice = await registerUser(svc, 'alice');
    const usersBefore = await svc.db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    await expectGrpcError(
      svc.auth.register({
        username: alice.username.toUpperCase(),
        email: 'other@example.com',
        password: PASSWORD,
        client: undefined,
      }),
      Status.ALREADY_EXISTS,
      { fields: ['username'], reason: 'USERNAME_TAKEN' },
    );
    await expectGrpcError(
      svc.auth.register({
        username: uniqueName('bob'),
        email: alice.email.toUpperCase(),
        password: PASSWORD,
        client: undefined,
      }),
      Status.ALREADY_EXISTS,
      { fields: ['email'], reason: 'EMAIL_TAKEN' },
    );
    const usersAfter = await svc.db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(usersAfter.n).toBe(usersBefore.n);
  });

  it('lets exactly one of two concurrent registrations of a name win', async () => {
    const name = uniqueName('race');
    const results = await Promise.allSettled([
      svc.auth.register({ username: name, email: `${name}-1@example.com`, password: PASSWORD, client: undefined }),
      svc.auth.register({ username: name, email: `${name}-2@example.com`, password: PASSWORD, client: undefined }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const failed = results.find((r) => r.status === 'rejected');
    await expectGrpcError(Promise.reject(failed?.reason), Status.ALREADY_EXISTS, { reason: 'USERNAME_TAKEN' });
  });

  it('reports every invalid field at once', async () => {
    await expectGrpcError(
      svc.auth.register({ username: 'a!', email: 'not-an-email', password: 'short', client: undefined }),
      Status.INVALID_ARGUMENT,
      { fields: ['username', 'email', 'password'] },
    );
    // Nine emoji are eighteen UTF-16 units but nine characters: too short.
    await expectGrpcError(
      svc.auth.register({
        username: uniqueName('emoji'),
        email: 'emoji@example.com',
        password: '🐦'.repeat(9),
        client: undefined,
      }),
      Status.INVALID_ARGUMENT,
      { fields: ['password'] },
    );
    await expectGrpcError(
      svc.auth.register({
        username: 'x'.repeat(31),
        email: `${'a'.repeat(250)}@example.com`,
        password: 'p'.repeat(257),
        client: undefined,
      }),
      Status.INVALID_ARGUMENT,
      { fields: ['username', 'email', 'password'] },
    );
  });
});

describe('Login', () => {
  it('accepts the username in any case and the email, and opens a new session each time', async () => {
    const user = await registerUser(svc, 'login');
    const byName = await svc.auth.login({ login: user.username.toUpperCase(), password: PASSWORD, client: undefined });
    const byEmail = await svc.auth.login({
      login: ` ${user.email.toUpperCase()} `,
      password: PASSWORD,
      client: undefined,
    });
    expect(byName.account?.id).toBe(user.id);
    expect(byEmail.account?.id).toBe(user.id);
    const sessions = await svc.auth.listSessions({}, bearer(byEmail.tokens?.accessToken ?? ''));
    expect(sessions.sessions).toHaveLength(3);
  });

  it('answers a wrong password and an unknown login in the same words', async () => {
    const user = await registerUser(svc, 'wrongpw');
    const message = 'invalid login or password';
    await expectGrpcError(
      svc.auth.login({ login: user.username, password: 'not the password', client: undefined }),
      Status.UNAUTHENTICATED,
      {
        message,
        reason: 'INVALID_CREDENTIALS',
      },
    );
    await expectGrpcError(
      svc.auth.login({ login: 'nobody_here', password: PASSWORD, client: undefined }),
      Status.UNAUTHENTICATED,
      {
        message,
        reason: 'INVALID_CREDENTIALS',
      },
    );
    await expectGrpcError(
      svc.auth.login({ login: 'x'.repeat(10_000), password: PASSWORD, client: undefined }),
      Status.UNAUTHENTICATED,
      {
        message,
      },
    );
  });

  it('stores where the login came from, bounded', async () => {
    const user = await registerUser(svc, 'origin');
    const response = await svc.auth.login({
      login: user.username,
      password: PASSWORD,
      // A control character is cleaned out (a NUL never gets this far: the platform's gRPC
      // server refuses any request holding one, as PostgreSQL could not store it).
      client: { userAgent: `UA\u0007${'u'.repeat(1000)}`, ip: '2001:db8::1' },
    });
    const sessions = await svc.auth.listSessions({}, bearer(response.tokens?.accessToken ?? ''));
    const current = sessions.sessions.find((s) => s.current);
    expect(current?.ip).toBe('2001:db8::1');
    expect(current?.userAgent).toBe(`UA${'u'.repeat(253)}`);
  });
});

describe('DeleteAccount', () => {
  it('needs the password, then removes the user and fixes the counts of the people they followed', async () => {
    const doomed = await registerUser(svc, 'doomed');
    const friend = await registerUser(svc, 'friend');
    await svc.follows.follow({ username: friend.username }, bearer(doomed.accessToken));
    await svc.follows.follow({ username: doomed.username }, bearer(friend.accessToken));
    expect((await svc.profiles.getMe({}, bearer(friend.accessToken))).account).toMatchObject({
      followerCount: 1,
      followingCount: 1,
    });

    await expectGrpcError(
      svc.auth.deleteAccount({ password: 'not my password' }, bearer(doomed.accessToken)),
      Status.INVALID_ARGUMENT,
      {
        fields: ['password'],
      },
    );
    await expectGrpcError(
      svc.auth.deleteAccount({ password: '' }, bearer(doomed.accessToken)),
      Status.INVALID_ARGUMENT,
      {
        fields: ['password'],
      },
    );
    await svc.auth.deleteAccount({ password: PASSWORD }, bearer(doomed.accessToken));

    expect((await svc.profiles.getMe({}, bearer(friend.accessToken))).account).toMatchObject({
      followerCount: 0,
      followingCount: 0,
    });
    await expectGrpcError(
      svc.auth.login({ login: doomed.username, password: PASSWORD, client: undefined }),
      Status.UNAUTHENTICATED,
    );
    await expectGrpcError(svc.profiles.getMe({}, bearer(doomed.accessToken)), Status.UNAUTHENTICATED);
    await expectGrpcError(svc.profiles.getProfile({ username: doomed.username }), Status.NOT_FOUND);
    const leftovers = await svc.db.selectFrom('sessions').select('id').where('user_id', '=', doomed.id).execute();
    expect(leftovers).toEqual([]);
    // The name is free again.
    await svc.auth.register({ username: doomed.username, email: doomed.email, password: PASSWORD, client: undefined });
  });
});
