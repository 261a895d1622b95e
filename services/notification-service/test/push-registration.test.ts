/**
 * Registering push destinations, against a service that refuses private endpoints (the
 * production setting): SSRF checks, key checks, limits, replacement and unregistering.
 */
import { Status } from '@wren/platform';
import { p256KeyPair } from '@wren/testkit/push';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, expectGrpcError, registerUser, startTestServices, type TestServices } from './helpers.js';

const P256DH = 'BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM';
const AUTH = 'tBHItJI5svbpez7KI4CCXg';
/** A public address literal: nothing is resolved or contacted while registering. */
const endpoint = (n: number | string) => `https://93.184.216.34/push/${n}`;
const sub = (endpointUrl: string, p256dh = P256DH, auth = AUTH) => ({
  subscription: { endpoint: endpointUrl, p256dh, auth },
});

describe('push registration', () => {
  let svc: TestServices;

  beforeAll(async () => {
    svc = await startTestServices();
  });
  afterAll(async () => {
    await svc?.stop();
  });

  it('serves the VAPID public key without a token', async () => {
    const { publicKey } = await svc.push.getVapidPublicKey({});
    expect(publicKey).toBe(svc.config.push.vapid.publicKey);
    expect(Buffer.from(publicKey, 'base64url')).toHaveLength(65);
  });

  it.each([
    ['http://93.184.216.34/push/1', 'must be an https URL'],
    ['https://localhost/push/1', 'private'],
    ['https://127.0.0.1/push/1', 'private'],
    ['https://10.1.2.3/push/1', 'private'],
    ['https://192.168.1.1/push/1', 'private'],
    ['https://169.254.169.254/latest', 'private'],
    ['https://[::1]/push/1', 'private'],
    ['https://[fe80::1]/push/1', 'private'],
    ['https://[fd00::1]/push/1', 'private'],
    ['https://[::ffff:127.0.0.1]/push/1', 'private'],
    // IPv4-translated (::ffff:0:0:0/96): the form the hand-written list missed.
    ['https://[::ffff:0:7f00:1]/push/1', 'private'],
    ['ftp://93.184.216.34/push', 'https'],
    ['not a url', 'must be a URL'],
  ])('refuses the endpoint %s', async (url, words) => {
    const ana = await registerUser(svc, 'ana');
    const error = await expectGrpcError(
      svc.push.registerWebPushSubscription(sub(url), as(ana)),
      Status.INVALID_ARGUMENT,
      {
        fields: ['subscription.endpoint'],
      },
    );
    expect(error.details).toContain(words);
  });

  it('refuses keys that are not a P-256 point and a 16-byte secret', async () => {
    const ana = await registerUser(svc, 'ana');
    const call = (p256dh: string, auth: string) =>
      svc.push.registerWebPushSubscription(sub(endpoint('k'), p256dh, auth), as(ana));
    await expectGrpcError(call('not+base64/url', AUTH), Status.INVALID_ARGUMENT, { fields: ['subscription.p256dh'] });
    await expectGrpcError(call(P256DH.slice(0, 40), AUTH), Status.INVALID_ARGUMENT, {
      fields: ['subscription.p256dh'],
    });
    // 65 bytes starting with 4, but not a point on the curve.
    const offCurve = Buffer.concat([Buffer.from([4]), Buffer.alloc(64, 1)]).toString('base64url');
    await expectGrpcError(call(offCurve, AUTH), Status.INVALID_ARGUMENT, { fields: ['subscription.p256dh'] });
    await expectGrpcError(call(P256DH, 'c2hvcnQ'), Status.INVALID_ARGUMENT, { fields: ['subscription.auth'] });
    await expectGrpcError(svc.push.registerWebPushSubscription({}, as(ana)), Status.INVALID_ARGUMENT, {
      fields: ['subscription.endpoint', 'subscription.p256dh', 'subscription.auth'],
    });
    await expectGrpcError(svc.push.registerWebPushSubscription(sub(endpoint('k'))), Status.UNAUTHENTICATED);
  });

  it('replaces a re-registered endpoint, allows 10 per user, and never hands an endpoint to another user', async () => {
    const [ana, ben] = [await registerUser(svc, 'ana'), await registerUser(svc, 'ben')];
    const tag = ana.id.slice(-8);
    const first = await svc.push.registerWebPushSubscription(sub(endpoint(`${tag}-0`)), as(ana));
    const otherKeys = p256KeyPair().publicKey.toString('base64url');
    const again = await svc.push.registerWebPushSubscription(sub(endpoint(`${tag}-0`), otherKeys), as(ana));
    expect(again.subscriptionId).toBe(first.subscriptionId);
    const stored = await svc.db
      .selectFrom('web_push_subscriptions')
      .selectAll()
      .where('user_id', '=', ana.id)
      .execute();
    expect(stored.map((row) => row.p256dh)).toEqual([otherKeys]);

    for (let i = 1; i < 10; i += 1) await svc.push.registerWebPushSubscription(sub(endpoint(`${tag}-${i}`)), as(ana));
    await expectGrpcError(
      svc.push.registerWebPushSubscription(sub(endpoint(`${tag}-10`)), as(ana)),
      Status.RESOURCE_EXHAUSTED,
      { reason: 'TOO_MANY_SUBSCRIPTIONS' },
    );
    // Re-registering one of the ten is not an eleventh.
    await svc.push.registerWebPushSubscription(sub(endpoint(`${tag}-3`)), as(ana));

    // Ben registers Ana's endpoint (a copy, or the browser she shares): refused, and it
    // stays hers, keys and id unchanged.
    const ownerOf = (url: string) =>
      svc.db
        .selectFrom('web_push_subscriptions')
        .select(['id', 'user_id', 'p256dh'])
        .where('endpoint', '=', url)
        .execute();
    await expectGrpcError(
      svc.push.registerWebPushSubscription(
        sub(endpoint(`${tag}-0`), p256KeyPair().publicKey.toString('base64url')),
        as(ben),
      ),
      Status.ALREADY_EXISTS,
      { reason: 'DESTINATION_TAKEN', fields: ['subscription.endpoint'] },
    );
    expect(await ownerOf(endpoint(`${tag}-0`))).toEqual([
      { id: first.subscriptionId, user_id: ana.id, p256dh: otherKeys },
    ]);
    // Unregistering: only one's own, and idempotent.
    await svc.push.unregisterWebPushSubscription({ endpoint: endpoint(`${tag}-0`) }, as(ben));
    expect(await ownerOf(endpoint(`${tag}-0`))).toHaveLength(1);
    // Once Ana removes it, the browser may change account: Ben gets it under a new id, so
    // pushes queued for Ana's subscription are never sent to him.
    await svc.push.unregisterWebPushSubscription({ endpoint: endpoint(`${tag}-0`) }, as(ana));
    await svc.push.unregisterWebPushSubscription({ endpoint: endpoint(`${tag}-0`) }, as(ana));
    expect(await ownerOf(endpoint(`${tag}-0`))).toHaveLength(0);
    const moved = await svc.push.registerWebPushSubscription(sub(endpoint(`${tag}-0`)), as(ben));
    expect(moved.subscriptionId).not.toBe(first.subscriptionId);
    expect((await ownerOf(endpoint(`${tag}-0`))).map((row) => row.user_id)).toEqual([ben.id]);
    await svc.push.registerWebPushSubscription(sub(endpoint(`${tag}-10`)), as(ana));
  });

  it('never hands an Expo push token to another user until its user removes it', async () => {
    const [ana, ben] = [await registerUser(svc, 'ana'), await registerUser(svc, 'ben')];
    const token = `ExponentPushToken[${ana.id.slice(-8)}-taken]`;
    const ownerOf = () => svc.db.selectFrom('expo_push_tokens').select('user_id').where('token', '=', token).execute();
    await svc.push.registerExpoPushToken({ token }, as(ana));
    await svc.push.registerExpoPushToken({ token }, as(ana));
    await expectGrpcError(svc.push.registerExpoPushToken({ token }, as(ben)), Status.ALREADY_EXISTS, {
      reason: 'DESTINATION_TAKEN',
      fields: ['token'],
    });
    await svc.push.unregisterExpoPushToken({ token }, as(ben));
    expect(await ownerOf()).toEqual([{ user_id: ana.id }]);
    await svc.push.unregisterExpoPushToken({ token }, as(ana));
    await svc.push.registerExpoPushToken({ token }, as(ben));
    expect(await ownerOf()).toEqual([{ user_id: ben.id }]);
  });

  it('validates Expo push tokens and keeps at most 10 per user', async () => {
    const ana = await registerUser(svc, 'ana');
    for (const token of [
      '',
      'ExponentPushToken',
      'hello',
      'ExponentPushToken[abc',
      `ExponentPushToken[${'x'.repeat(300)}]`,
    ]) {
      await expectGrpcError(svc.push.registerExpoPushToken({ token }, as(ana)), Status.INVALID_ARGUMENT, {
        fields: ['token'],
      });
    }
    const token = (n: number) => `ExponentPushToken[${ana.id.slice(-8)}-${n}]`;
    for (let i = 0; i < 10; i += 1) await svc.push.registerExpoPushToken({ token: token(i) }, as(ana));
    await svc.push.registerExpoPushToken({ token: token(0) }, as(ana));
    await expectGrpcError(svc.push.registerExpoPushToken({ token: token(10) }, as(ana)), Status.RESOURCE_EXHAUSTED);
    await svc.push.unregisterExpoPushToken({ token: token(0) }, as(ana));
    await svc.push.registerExpoPushToken({ token: token(10) }, as(ana));
    const tokens = await svc.db.selectFrom('expo_push_tokens').select('token').where('user_id', '=', ana.id).execute();
    expect(tokens.map((row) => row.token).sort()).toEqual([...Array(10).keys()].map((i) => token(i + 1)).sort());
  });
});
