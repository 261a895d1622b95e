/** Checks of request fields shared by every handler: ids and page tokens. */
import { decodeCursor, type FieldErrors, invalidArgument, isUuid } from '@wren/platform';
import { checkText } from './text.js';

/** A required id field; INVALID_ARGUMENT naming the field when it is not a UUID. */
export function requireId(field: string, value: string): string {
  if (!isUuid(value)) throw invalidArgument({ field, description: 'must be a UUID' });
  return value.toLowerCase();
}

/** An optional id field: empty means absent. */
export function optionalId(field: string, value: string): string | undefined {
  return value === '' ? undefined : requireId(field, value);
}

/** Page tokens of id-ordered lists: the id of the last item shown. */
export function decodeIdCursor(token: string): string | undefined {
  const values = decodeCursor<[string]>(token, ['string']);
  if (values === undefined) return undefined;
  if (!isUuid(values[0])) throw invalidArgument({ field: 'page_token', description: 'is not a valid cursor' });
  return values[0].toLowerCase();
}

/** An id field checked into `errors`, so that every bad field is reported at once. */
export function idField(errors: FieldErrors, field: string, value: string): string {
  if (isUuid(value)) return value.toLowerCase();
  errors.add(field, 'must be a UUID');
  return '';
}

export function optionalIdField(errors: FieldErrors, field: string, value: string): string | undefined {
  return value === '' ? undefined : idField(errors, field, value);
}

/** A user-written text field (see text.ts), checked into `errors`. */
export function textField(errors: FieldErrors, field: string, raw: string, options: { optional?: boolean } = {}) {
  const checked = checkText(raw, options);
  if (checked.ok) return checked.text;
  errors.add(field, checked.problem);
  return '';
}
