/**
 * What request bodies the gateway accepts, and how requests are validated. Bodies are JSON
 * only. Schemas are closed and nothing is stripped: an unknown field is a 400 that names it,
 * not silently dropped (no mass assignment, and typos surface). Bodies keep their JSON
 * types; only the query string and path, which are text by nature, are coerced
 * (`?limit=20` → 20).
 */
import { Ajv, type Options } from 'ajv';
import addFormatsPlugin from 'ajv-formats';
import type { FastifyInstance, FastifySchemaCompiler } from 'fastify';

// ajv-formats is CommonJS with a default export; under NodeNext its type is the module.
const addFormats = addFormatsPlugin as unknown as (ajv: Ajv) => Ajv;

const COMMON: Options = {
  removeAdditional: false,
  // Every failing field in one answer, so a client fixes a form in one round trip. The
  // usual cost (many errors for a large bad body) is bounded by maxLength on every string
  // and by BODY_LIMIT_BYTES.
  allErrors: true,
  useDefaults: true,
  strict: true,
};

export function createValidatorCompiler(): FastifySchemaCompiler<unknown> {
  const forBodies = addFormats(new Ajv({ ...COMMON, coerceTypes: false }));
  const forText = addFormats(new Ajv({ ...COMMON, coerceTypes: true }));
  return ({ schema, httpPart }) => (httpPart === 'body' ? forBodies : forText).compile(schema as object);
}

export function configureRequestParsing(app: FastifyInstance): void {
  app.setValidatorCompiler(createValidatorCompiler());
  // Fastify also parses text/plain by default; no route here takes it, so it is a 415.
  app.removeContentTypeParser('text/plain');
  // Many HTTP clients send `Content-Type: application/json` on every request, also on a
  // POST without a body (logout). Fastify refuses that; here an empty body is no body, and
  // a route that needs one still says so through its schema. Anything else is parsed by
  // Fastify's own parser (which refuses __proto__ and constructor poisoning).
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = body.toString();
    if (text === '') done(null, undefined);
    else parseJson(request, text, done);
  });
}
