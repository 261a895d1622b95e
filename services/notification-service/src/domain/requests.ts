/** Checks of request fields: ids, type filters and page tokens. */
import type { NotificationType } from '@wren/contracts/notification/v1/notification.js';
import { decodeCursor, invalidArgument, isUuid } from '@wren/platform';
import type { NotificationTypeValue } from '../db/schema.js';
import { typeToDb } from './kinds.js';

/** A required id field; INVALID_ARGUMENT naming the field when it is not a UUID. */
export function requireId(field: string, value: string): string {
  if (!isUuid(value)) throw invalidArgument({ field, description: 'must be a UUID' });
  return value.toLowerCase();
}

/** Page tokens of id-ordered lists: the id of the last notification (or group head) shown. */
export function decodeIdCursor(token: string): string | undefined {
  const values = decodeCursor<[string]>(token, ['string']);
  if (values === undefined) return undefined;
  if (!isUuid(values[0])) throw invalidArgument({ field: 'page_token', description: 'is not a valid cursor' });
  return values[0].toLowerCase();
}

/** A `types` filter: empty means all; UNSPECIFIED or an unknown value is refused. */
export function typeFilter(types: NotificationType[]): NotificationTypeValue[] {
  const values = new Set<NotificationTypeValue>();
  types.forEach((type, index) => {
    const value = typeToDb(type);
    if (!value) throw invalidArgument({ field: `types[${index}]`, description: 'must be a known notification type' });
    values.add(value);
  });
  return [...values];
}
