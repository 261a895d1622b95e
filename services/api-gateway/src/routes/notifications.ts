/** /v1/notifications: your notifications, grouped or one by one, read markers, deletion. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { callOptions } from '../clients.js';
import { ProblemError } from '../errors.js';
import { NOTIFICATION_TYPE_OF } from '../notification-kinds.js';
import { nextCursor, pageLimit } from '../paging.js';
import { presentNotification, presentNotificationGroup } from '../present.js';
import { IdParams } from '../schemas/ids.js';
import {
  MarkedSchema,
  MarkReadBody,
  NotificationGroupPageSchema,
  NotificationListQuery,
  NotificationPageSchema,
  type NotificationTypeName,
  UnreadCountSchema,
} from '../schemas/notifications.js';
import { problemResponses } from '../schemas/problem.js';
import type { RouteOptions } from './auth.js';

/** The service's names for what the client sent as `ids`, `upTo`, the `id` in the path, `types`. */
export const NOTIFICATION_FIELD_ALIASES = {
  notification_ids: 'ids',
  up_to_notification_id: 'upTo',
  notification_id: 'id',
  types: 'types',
} as const;

const config = { auth: 'required', fieldAliases: NOTIFICATION_FIELD_ALIASES } as const;

/**
 * `types=a&types=b` arrives as an array, `types=a` as a string, and `types[]=a` under its own
 * name: all become one `types` array before validation.
 */
export async function collectTypes(request: FastifyRequest): Promise<void> {
  const query = request.query as Record<string, unknown>;
  const given = [query.types, query['types[]']].flatMap((value) =>
    value === undefined ? [] : Array.isArray(value) ? value : [value],
  );
  delete query['types[]'];
  if (given.length > 0) query.types = given;
}

interface ListQuery {
  cursor?: string;
  limit?: number;
  types?: NotificationTypeName[];
  unread?: boolean;
}

function listRequest(query: ListQuery) {
  return {
    pageSize: pageLimit(query),
    pageToken: query.cursor ?? '',
    types: (query.types ?? []).map((type) => NOTIFICATION_TYPE_OF[type]),
    unreadOnly: query.unread ?? false,
  };
}

const FILTERS = [
  'Filter with `types` (repeat it: `types=like&types=share`) and `unread=true`.',
  'Keyset-paged: follow `nextCursor`, or the `Link: rel="next"` header, which keeps the filters.',
].join(' ');

export const notificationsRoutes: FastifyPluginAsyncTypebox<RouteOptions> = async (app, { clients, config: gw }) => {
  app.get(
    '/v1/notifications',
    {
      config,
      preValidation: collectTypes,
      schema: {
        tags: ['notifications'],
        summary: 'Your notifications, newest first',
        description: `Each has its type, who did it, what it is about (null for a follow), and whether it is read. ${FILTERS}`,
        querystring: NotificationListQuery,
        response: { 200: NotificationPageSchema, ...problemResponses(401) },
      },
    },
    async (request, reply) => {
      const ask = listRequest(request.query);
      const { notifications, nextPageToken } = await clients.notifications.listNotifications(ask, callOptions(request));
      return {
        items: notifications.map(presentNotification),
        nextCursor: nextCursor(request, reply, gw.publicUrl, { nextPageToken, limit: ask.pageSize }),
      };
    },
  );

  app.get(
    '/v1/notifications/groups',
    {
      config,
      preValidation: collectTypes,
      schema: {
        tags: ['notifications'],
        summary: 'Your notifications, grouped',
        description: `Likes and shares of the same target form one group ("Ana and 3 others liked your post"); other types are one per group. Newest first. ${FILTERS}`,
        querystring: NotificationListQuery,
        response: { 200: NotificationGroupPageSchema, ...problemResponses(401) },
      },
    },
    async (request, reply) => {
      const ask = listRequest(request.query);
      const { groups, nextPageToken } = await clients.notifications.listNotificationGroups(ask, callOptions(request));
      return {
        items: groups.map(presentNotificationGroup),
        nextCursor: nextCursor(request, reply, gw.publicUrl, { nextPageToken, limit: ask.pageSize }),
      };
    },
  );

  app.get(
    '/v1/notifications/unread-count',
    {
      config,
      schema: {
        tags: ['notifications'],
        summary: 'How many of your notifications are unread',
        response: { 200: UnreadCountSchema, ...problemResponses(401) },
      },
    },
    async (request) => {
      const { count } = await clients.notifications.getUnreadCount({}, callOptions(request));
      return { count };
    },
  );

  app.post(
    '/v1/notifications/read',
    {
      config,
      schema: {
        tags: ['notifications'],
        summary: 'Mark notifications read',
        description: [
          'Either `ids` (at most 100; ids that are not yours are ignored), or `upTo`: every notification up to',
          'and including that one, in newest-first order (e.g. the first item of the page you showed).',
          'Exactly one of the two; idempotent. Answers how many changed from unread to read.',
        ].join(' '),
        body: MarkReadBody,
        response: { 200: MarkedSchema, ...problemResponses(401, 404) },
      },
    },
    async (request) => {
      const { ids, upTo } = request.body;
      if ((ids === undefined) === (upTo === undefined)) {
        const message = ids === undefined ? 'give either ids or upTo' : 'give ids or upTo, not both';
        throw new ProblemError('validation-failed', `Exactly one of ids and upTo: ${message}.`, {
          errors: [
            { field: 'ids', message },
            { field: 'upTo', message },
          ],
        });
      }
      const { marked } = await clients.notifications.markNotificationsRead(
        { notificationIds: ids ?? [], upToNotificationId: upTo ?? '' },
        callOptions(request),
      );
      return { marked };
    },
  );

  app.delete(
    '/v1/notifications/:id',
    {
      config,
      schema: {
        tags: ['notifications'],
        summary: 'Delete one of your notifications',
        description: 'A notification that does not exist, or is not yours, is a 404.',
        params: IdParams,
        response: { 204: Type.Null({ description: 'Deleted.' }), ...problemResponses(401, 404) },
      },
    },
    async (request, reply) => {
      await clients.notifications.deleteNotification({ notificationId: request.params.id }, callOptions(request));
      return reply.code(204).send(null);
    },
  );
};
