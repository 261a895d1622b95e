/**
 * Registering push destinations, against a service that refuses private endpoints (the
 * production setting): SSRF checks, key checks, limits, replacement and unregistering.
 */
import { Status } from '@wren/platform';
import { p256KeyPair } from '@wren/testkit/push';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPrivateAddress } from '../src/delivery/endpoint-guard.js';
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

  it('replaces a re-registered endpoint, allows 10 per user, and moves an endpoint to its new user', async () => {
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

    // Ben's browser now has the endpoint: it is his, under a new id, and Ana has room again.
    const moved = await svc.push.registerWebPushSubscription(sub(endpoint(`${tag}-0`)), as(ben));
    expect(moved.subscriptionId).not.toBe(first.subscriptionId);
    const owners = await svc.db
      .selectFrom('web_push_subscriptions')
      .select('user_id')
      .where('endpoint', '=', endpoint(`${tag}-0`))
      .execute();
    expect(owners).toEqual([{ user_id: ben.id }]);
    await svc.push.registerWebPushSubscription(sub(endpoint(`${tag}-10`)), as(ana));

    // Unregistering: only one's own, and idempotent.
    await svc.push.unregisterWebPushSubscription({ endpoint: endpoint(`${tag}-0`) }, as(ana));
    expect(
      await svc.db
        .selectFrom('web_push_subscriptions')
        .select('id')
        .where('endpoint', '=', endpoint(`${tag}-0`))
        .execute(),
    ).toHaveLength(1);
    await svc.push.unregisterWebPushSubscription({ endpoint: endpoint(`${tag}-0`) }, as(ben));
    await svc.push.unregisterWebPushSubscription({ endpoint: endpoint(`${tag}-0`) }, as(ben));
    expect(
      await svc.db
        .selectFrom('web_push_subscriptions')
        .select('id')
        .where('endpoint', '=', endpoint(`${tag}-0`))
        .execute(),
    ).toHaveLength(0);
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

  it('tells private, loopback, link-local and reserved addresses from public ones', () => {
    for (const address of [
      '127.0.0.1',
      '10.0.0.1',
      '172.31.255.255',
      '192.168.0.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '224.0.0.1',
      '::1',
      '::',
      'fe80::1',
      'fc00::1',
      '::ffff:10.0.0.1',
      'ff02::1',
    ]) {
      expect(isPrivateAddress(address), address).toBe(true);
    }
    for (const address of ['93.184.216.34', '8.8.8.8', '172.32.0.1', '2606:4700:4700::1111', '2a00:1450:4001::1']) {
      expect(isPrivateAddress(address), address).toBe(false);
    }
  });
});
