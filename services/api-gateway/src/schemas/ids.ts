/** Ids in paths and queries: the services mint UUIDs, so anything else is refused here. */
import { Type } from 'typebox';

export const UUID_PATTERN = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';

export const Uuid = Type.String({ pattern: UUID_PATTERN, examples: ['0190f2a0-0000-7000-8000-000000000001'] });

export const IdParams = Type.Object({ id: Uuid }, { additionalProperties: false });
