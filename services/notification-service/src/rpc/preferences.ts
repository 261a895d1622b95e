import type { Preference } from '@wren/contracts/notification/v1/notification.js';
import type { NotificationServiceImplementation } from '@wren/contracts/notification/v1/notification_service.js';
import { FieldErrors, requireUser, type WrenCallContextExt } from '@wren/platform';
import type { Kysely } from 'kysely';
import type { NotificationServiceContext } from '../context.js';
import { listDisabled, type PreferenceCell, setPreferences } from '../db/queries/preferences.js';
import type { NotificationDatabase } from '../db/schema.js';
import { ALL_CHANNELS, ALL_TYPES, channelFromDb, channelToDb, typeFromDb, typeToDb } from '../domain/kinds.js';

/** The whole matrix has 18 cells; more than a few times that is not a real request. */
const MAX_PREFERENCES = 100;

/** The full type × channel matrix, every cell on unless stored as off. */
async function matrix(db: Kysely<NotificationDatabase>, userId: string): Promise<Preference[]> {
  const off = new Set((await listDisabled(db, userId)).map((cell) => `${cell.type}:${cell.channel}`));
  return ALL_TYPES.flatMap((type) =>
    ALL_CHANNELS.map((channel) => ({
      type: typeFromDb(type),
      channel: channelFromDb(channel),
      enabled: !off.has(`${type}:${channel}`),
    })),
  );
}

function checkedCells(preferences: Preference[]): (PreferenceCell & { enabled: boolean })[] {
  const errors = new FieldErrors();
  if (preferences.length > MAX_PREFERENCES) errors.add('preferences', `must hold at most ${MAX_PREFERENCES} cells`);
  const cells = new Map<string, PreferenceCell & { enabled: boolean }>();
  preferences.forEach((preference, index) => {
    const type = typeToDb(preference.type);
    const channel = channelToDb(preference.channel);
    if (!type) errors.add(`preferences[${index}].type`, 'must be a known notification type');
    if (!channel) errors.add(`preferences[${index}].channel`, 'must be a known channel');
    // A cell given twice: the later one wins, as if applied in order.
    if (type && channel) cells.set(`${type}:${channel}`, { type, channel, enabled: preference.enabled });
  });
  errors.throwIfAny();
  return [...cells.values()];
}

export function preferencesRpc(
  ctx: NotificationServiceContext,
): Pick<NotificationServiceImplementation<WrenCallContextExt>, 'getPreferences' | 'updatePreferences'> {
  const { db } = ctx.database;
  return {
    async getPreferences(_request, context) {
      const { userId } = requireUser(context);
      return { preferences: await matrix(db, userId) };
    },

    async updatePreferences(request, context) {
      const { userId } = requireUser(context);
      const cells = checkedCells(request.preferences);
      const preferences = await db.transaction().execute(async (trx) => {
        await setPreferences(trx, userId, cells);
        return matrix(trx, userId);
      });
      return { preferences };
    },
  };
}
