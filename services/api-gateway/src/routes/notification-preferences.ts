/** /v1/notifications/preferences: which types reach you on which channel. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Preference } from '@wren/contracts/notification/v1/notification.js';
import type { Static } from 'typebox';
import { callOptions } from '../clients.js';
import { CHANNEL_OF, NOTIFICATION_TYPE_OF } from '../notification-kinds.js';
import { presentPreferences } from '../present.js';
import { CHANNELS, NOTIFICATION_TYPES, PreferencesSchema, UpdatePreferencesBody } from '../schemas/notifications.js';
import { problemResponses } from '../schemas/problem.js';
import type { RouteOptions } from './auth.js';

const MATRIX = [
  'The matrix has a row per type (`follow`, `like`, `comment`, `reply`, `share`, `mention`) and a',
  'column per channel (`inApp`, `webPush`, `expoPush`); everything is on until you turn it off.',
].join(' ');

/** The cells a client gave, in the matrix's order, as the service's list of Preference. */
export function preferenceCells(changes: Static<typeof UpdatePreferencesBody>['preferences']): Preference[] {
  return NOTIFICATION_TYPES.flatMap((type) =>
    CHANNELS.flatMap((channel) => {
      const enabled = changes[type]?.[channel];
      return enabled === undefined ? [] : [{ type: NOTIFICATION_TYPE_OF[type], channel: CHANNEL_OF[channel], enabled }];
    }),
  );
}

export const notificationPreferencesRoutes: FastifyPluginAsyncTypebox<RouteOptions> = async (app, { clients }) => {
  app.get(
    '/v1/notifications/preferences',
    {
      config: { auth: 'required' },
      schema: {
        tags: ['notifications'],
        summary: 'Your notification preferences',
        description: MATRIX,
        response: { 200: PreferencesSchema, ...problemResponses(401) },
      },
    },
    async (request) => {
      const { preferences } = await clients.notifications.getPreferences({}, callOptions(request));
      return presentPreferences(preferences);
    },
  );

  app.put(
    '/v1/notifications/preferences',
    {
      config: { auth: 'required' },
      schema: {
        tags: ['notifications'],
        summary: 'Change your notification preferences',
        description: `Only the cells you give change; the answer is the whole matrix. ${MATRIX}`,
        body: UpdatePreferencesBody,
        response: { 200: PreferencesSchema, ...problemResponses(401) },
      },
    },
    async (request) => {
      const { preferences } = await clients.notifications.updatePreferences(
        { preferences: preferenceCells(request.body.preferences) },
        callOptions(request),
      );
      return presentPreferences(preferences);
    },
  );
};
