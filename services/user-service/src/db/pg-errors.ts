/**
 * Recognises the PostgreSQL errors that mean "the data said no" rather than "something broke",
 * so that uniqueness and existence races are decided by the database, not by a read before
 * the write.
 */

interface PgError {
  code?: unknown;
  constraint?: unknown;
}

function asPgError(error: unknown): PgError | undefined {
  return typeof error === 'object' && error !== null ? (error as PgError) : undefined;
}

/** The constraint a unique violation (23505) hit, or undefined for any other error. */
export function uniqueViolationConstraint(error: unknown): string | undefined {
  const pg = asPgError(error);
  if (pg?.code !== '23505') return undefined;
  return typeof pg.constraint === 'string' ? pg.constraint : '';
}

/** A foreign-key violation (23503): the referenced row is gone. */
export function isForeignKeyViolation(error: unknown): boolean {
  return asPgError(error)?.code === '23503';
}
