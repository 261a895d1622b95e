import { testSigningKeys } from '@wren/testkit';
import { importJWK, type JWK, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { bearerToken, createAccessTokenVerifier, InvalidTokenError } from '../src/auth/access-token.js';
import { generateSigningKey } from '../src/auth/signing-keys.js';

async function sign(key: JWK, claims: Record<string, unknown>, options: { typ?: string; exp?: string | number } = {}) {
  const jwt = new SignJWT({ sid: 's1', ...claims })
    .setProtectedHeader({ alg: 'EdDSA', kid: key.kid, typ: options.typ ?? 'at+jwt' })
    .setIssuer('wren')
    .setAudience('wren-api')
    .setSubject('u1')
    .setIssuedAt()
    .setExpirationTime(options.exp ?? '5m');
  return jwt.sign(await importJWK(key, 'EdDSA'));
}

const publicOf = ({ d: _d, ...key }: JWK) => key;

describe('access token verifier', () => {
  it('accepts a token of a published key and reads user and session', async () => {
    const [key] = (await testSigningKeys()).keys as [JWK];
    const verifier = createAccessTokenVerifier({
      issuer: 'wren',
      audience: 'wren-api',
      fetchKeys: async () => [publicOf(key)],
    });
    const claims = await verifier.verify(await sign(key, {}));
    expect(claims.userId).toBe('u1');
    expect(claims.sessionId).toBe('s1');
  });

  it('refetches the key set once for an unknown kid (rotation), then accepts', async () => {
    const oldKey = await generateSigningKey('old');
    const newKey = await generateSigningKey('new');
    let published = [publicOf(oldKey)];
    let fetches = 0;
    const verifier = createAccessTokenVerifier({
      issuer: 'wren',
      audience: 'wren-api',
      refetchIntervalMs: 0,
      fetchKeys: async () => {
        fetches += 1;
        return published;
      },
    });
    await verifier.verify(await sign(oldKey, {}));
    published = [publicOf(newKey), publicOf(oldKey)];
    await verifier.verify(await sign(newKey, {}));
    expect(fetches).toBe(2);
  });

  it.each([
    ['expired', { exp: Math.floor(Date.now() / 1000) - 60 }, 'expired'],
    ['of another type', { typ: 'JWT' }, 'invalid'],
  ] as const)('refuses a token that is %s', async (_, options, reason) => {
    const key = await generateSigningKey('k');
    const verifier = createAccessTokenVerifier({
      issuer: 'wren',
      audience: 'wren-api',
      fetchKeys: async () => [publicOf(key)],
    });
    const error = await verifier.verify(await sign(key, {}, options)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidTokenError);
    expect((error as InvalidTokenError).reason).toBe(reason);
  });

  it('refuses unsigned (alg none), tampered and foreign-key tokens', async () => {
    const key = await generateSigningKey('k');
    const stranger = await generateSigningKey('k');
    const verifier = createAccessTokenVerifier({
      issuer: 'wren',
      audience: 'wren-api',
      fetchKeys: async () => [publicOf(key)],
    });
    const good = await sign(key, {});
    const [header, payload] = good.split('.') as [string, string];
    const none = `${Buffer.from(JSON.stringify({ alg: 'none', kid: 'k', typ: 'at+jwt' })).toString('base64url')}.${payload}.`;
    const forgedPayload = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), sub: 'admin' }),
    ).toString('base64url');
    for (const token of [none, `${header}.${forgedPayload}.${good.split('.')[2]}`, await sign(stranger, {}), 'abc']) {
      await expect(verifier.verify(token)).rejects.toBeInstanceOf(InvalidTokenError);
    }
  });

  it('parses Bearer headers strictly', () => {
    expect(bearerToken('Bearer abc.def.ghi')).toBe('abc.def.ghi');
    expect(bearerToken('Basic abc')).toBeUndefined();
    expect(bearerToken(undefined)).toBeUndefined();
  });
});

describe('verified-token cache', () => {
  it('remembers a verified token only until it expires, then refuses it as expired', async () => {
    const [key] = (await testSigningKeys()).keys as [JWK];
    let clock = Date.now();
    let fetches = 0;
    const verifier = createAccessTokenVerifier({
      issuer: 'wren',
      audience: 'wren-api',
      now: () => clock,
      fetchKeys: async () => {
        fetches += 1;
        return [publicOf(key)];
      },
    });
    const token = await sign(key, {}, { exp: Math.floor(clock / 1000) + 60 });
    expect((await verifier.verify(token)).userId).toBe('u1');
    expect((await verifier.verify(token)).userId).toBe('u1');
    expect(fetches).toBe(1);
    clock += 61_000;
    await expect(verifier.verify(token)).rejects.toMatchObject({ reason: 'expired' });
  });

  it('never lets a remembered user token pass as a service credential, nor a tampered copy pass', async () => {
    const [key] = (await testSigningKeys()).keys as [JWK];
    const verifier = createAccessTokenVerifier({
      issuer: 'wren',
      audience: 'wren-api',
      fetchKeys: async () => [publicOf(key)],
    });
    const token = await sign(key, {});
    await verifier.verify(token);
    await expect(verifier.verifyService(token)).rejects.toBeInstanceOf(InvalidTokenError);
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const forged = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), sub: 'u2' }),
    );
    await expect(verifier.verify(`${header}.${forged.toString('base64url')}.${signature}`)).rejects.toMatchObject({
      reason: 'invalid',
    });
  });

  it('stays bounded: the oldest entry goes first and must verify again (here: its key was withdrawn)', async () => {
    const oldKey = await generateSigningKey('old');
    const newKey = await generateSigningKey('new');
    let published = [publicOf(oldKey)];
    const verifier = createAccessTokenVerifier({
      issuer: 'wren',
      audience: 'wren-api',
      cacheSize: 2,
      refetchIntervalMs: 0,
      fetchKeys: async () => published,
    });
    const [first, second, third] = await Promise.all(['a', 'b', 'c'].map((sid) => sign(oldKey, { sid })));
    for (const token of [first, second, third]) await verifier.verify(token as string);
    // The old key is withdrawn; a token of the new key makes the verifier learn that.
    published = [publicOf(newKey)];
    await verifier.verify(await sign(newKey, { sid: 'd' }));
    // Evicted (the cache holds two): verified again, and refused for its unknown key.
    await expect(verifier.verify(first as string)).rejects.toMatchObject({ reason: 'invalid' });
    // Still remembered: accepted until it expires — the documented window of the cache.
    expect((await verifier.verify(third as string)).sessionId).toBe('c');
  });
});
