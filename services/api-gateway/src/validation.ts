/**
 * What request bodies the gateway accepts, and how requests are validated. Bodies are JSON
 * only. Schemas are closed and nothing is stripped: an unknown field is a 400 that names it,
 * not silently dropped (no mass assignment, and typos surface). Bodies keep their JSON
 * types; only the query string and path, which are text by nature, are coerced
 * (`?limit=20` → 20). No number that is not finite passes, whatever the schema says.
 */
import { Ajv, type Options, type ValidateFunction } from 'ajv';
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
  return ({ schema, httpPart }) =>
    finiteNumbersOnly((httpPart === 'body' ? forBodies : forText).compile(schema as object));
}

/** A JSON Pointer, as ajv writes `instancePath`, so that every check names fields alike. */
export const jsonPointer = (path: readonly (string | number)[]): string =>
  path.map((segment) => `/${String(segment).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');

function nonFiniteNumbers(value: unknown, path: (string | number)[] = []): (string | number)[][] {
  if (typeof value === 'number') return Number.isFinite(value) ? [] : [path];
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, item]) =>
    nonFiniteNumbers(item, [...path, Array.isArray(value) ? Number(key) : key]),
  );
}

type Validator = ((data: unknown) => boolean) & { errors?: ValidateFunction['errors'] };

/**
 * ajv's type coercion turns `?limit=Infinity` (and `1e400`) into Infinity and then skips the
 * integer, minimum and maximum checks on it, which passes Infinity on to the services
 * (a 500 when it is encoded as int32). JSON's `1e400` parses to Infinity too, which a plain
 * `number` schema accepts. So after ajv, any number that is not finite is refused here,
 * under the same field name ajv would use.
 */
function finiteNumbersOnly(validate: ValidateFunction): Validator {
  const checked: Validator = (data) => {
    const valid = validate(data);
    const reported = new Set((validate.errors ?? []).map((error) => error.instancePath));
    const extra = nonFiniteNumbers(data)
      .map(jsonPointer)
      .filter((instancePath) => !reported.has(instancePath))
      .map((instancePath) => ({
        keyword: 'finite',
        instancePath,
        schemaPath: '#',
        params: {},
        message: 'must be a finite number',
      }));
    const errors = [...(valid ? [] : (validate.errors ?? [])), ...extra];
    checked.errors = errors.length > 0 ? errors : null;
    return errors.length === 0;
  };
  return checked;
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
