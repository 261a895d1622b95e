/** /v1/push: where your pushes go — browsers (Web Push) and phones (Expo). */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { callOptions } from '../clients.js';
import { problemResponses } from '../schemas/problem.js';
import {
  ExpoTokenBody,
  VapidKeySchema,
  WebPushEndpointBody,
  WebPushSubscriptionBody,
  WebPushSubscriptionCreatedSchema,
} from '../schemas/push.js';
import type { RouteOptions } from './auth.js';

/** The service's names for fields of the subscription the client sent in the browser's shape. */
export const PUSH_FIELD_ALIASES = {
  'subscription.endpoint': 'endpoint',
  'subscription.p256dh': 'keys.p256dh',
  'subscription.auth': 'keys.auth',
  subscription: 'endpoint',
} as const;

const config = { auth: 'required', fieldAliases: PUSH_FIELD_ALIASES } as const;
const NoContent = (description: string) => Type.Null({ description });

export const pushRoutes: FastifyPluginAsyncTypebox<RouteOptions> = async (app, { clients }) => {
  app.get(
    '/v1/push/web/vapid-key',
    {
      // Public: a browser needs it to subscribe, before anything else.
      config: { auth: 'none' },
      schema: {
        tags: ['push'],
        summary: 'The VAPID public key to subscribe with',
        description: 'Pass it as `applicationServerKey` to `PushManager.subscribe()`.',
        response: { 200: VapidKeySchema, ...problemResponses() },
      },
    },
    async (request) => {
      const { publicKey } = await clients.push.getVapidPublicKey({}, callOptions(request));
      return { publicKey };
    },
  );

  app.post(
    '/v1/push/web/subscriptions',
    {
      config,
      schema: {
        tags: ['push'],
        summary: 'Register this browser for Web Push',
        description: [
          'Send `subscription.toJSON()` as it is. Registering the same endpoint again replaces its keys',
          '(same id). At most 10 per user (409 `TOO_MANY_SUBSCRIPTIONS`). An endpoint another account has',
          'registered is refused (409 `DESTINATION_TAKEN`) until that account unregisters it.',
        ].join(' '),
        body: WebPushSubscriptionBody,
        response: { 201: WebPushSubscriptionCreatedSchema, ...problemResponses(401, 409) },
      },
    },
    async (request, reply) => {
      const { endpoint, keys } = request.body;
      const { subscriptionId } = await clients.push.registerWebPushSubscription(
        { subscription: { endpoint, p256dh: keys.p256dh, auth: keys.auth } },
        callOptions(request),
      );
      return reply.code(201).send({ id: subscriptionId });
    },
  );

  app.delete(
    '/v1/push/web/subscriptions',
    {
      config,
      schema: {
        tags: ['push'],
        summary: 'Unregister a browser from Web Push',
        description: 'By its endpoint. Idempotent: an endpoint that is not registered is a 204 as well.',
        body: WebPushEndpointBody,
        response: { 204: NoContent('Unregistered.'), ...problemResponses(401) },
      },
    },
    async (request, reply) => {
      await clients.push.unregisterWebPushSubscription({ endpoint: request.body.endpoint }, callOptions(request));
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/v1/push/expo/tokens',
    {
      config,
      schema: {
        tags: ['push'],
        summary: 'Register this device’s Expo push token',
        description: [
          'Idempotent. At most 10 per user (409 `TOO_MANY_PUSH_TOKENS`). A token another account has',
          'registered is refused (409 `DESTINATION_TAKEN`) until that account unregisters it.',
        ].join(' '),
        body: ExpoTokenBody,
        response: { 204: NoContent('Registered.'), ...problemResponses(401, 409) },
      },
    },
    async (request, reply) => {
      await clients.push.registerExpoPushToken({ token: request.body.token }, callOptions(request));
      return reply.code(204).send(null);
    },
  );

  app.delete(
    '/v1/push/expo/tokens',
    {
      config,
      schema: {
        tags: ['push'],
        summary: 'Unregister an Expo push token',
        description: 'Idempotent: a token that is not registered is a 204 as well.',
        body: ExpoTokenBody,
        response: { 204: NoContent('Unregistered.'), ...problemResponses(401) },
      },
    },
    async (request, reply) => {
      await clients.push.unregisterExpoPushToken({ token: request.body.token }, callOptions(request));
      return reply.code(204).send(null);
    },
  );
};
