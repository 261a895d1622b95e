/**
 * Every string a client sends — body, query, path — that PostgreSQL could not store (NUL,
 * unpaired surrogates) is a 400 naming the field, on every route, before validation and
 * before any service is called. One hook for all routes, so no route can forget it; the
 * services refuse the same with INVALID_ARGUMENT behind it.
 */
import { findUnstorableStrings } from '@wren/platform';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { fieldErrorsFromValidation, ProblemError } from './errors.js';
import { jsonPointer } from './validation.js';

const PARTS = [
  ['body', (request: FastifyRequest) => request.body],
  ['querystring', (request: FastifyRequest) => request.query],
  ['params', (request: FastifyRequest) => request.params],
] as const;

export function refuseUnstorableText(app: FastifyInstance): void {
  app.addHook('preValidation', async (request) => {
    const errors = PARTS.flatMap(([context, read]) =>
      fieldErrorsFromValidation(
        findUnstorableStrings(read(request)).map(({ path, problem }) => ({
          keyword: 'unstorable',
          instancePath: jsonPointer(path),
          params: {},
          message: problem,
        })),
        context,
      ),
    );
    if (errors.length > 0) {
      throw new ProblemError('validation-failed', errors.map((e) => `${e.field} ${e.message}`).join('; '), { errors });
    }
  });
}
