/**
 * The one place where failures become HTTP: gRPC status codes from the services, Fastify's
 * own errors (validation, body parsing, unknown routes) and the gateway's refusals are all
 * rendered as RFC 9457 `application/problem+json` with a stable `type` per kind.
 */
import { IDEMPOTENCY_KEY_REUSED } from '@wren/platform';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ClientError, Status } from 'nice-grpc-common';
import { RichClientError } from 'nice-grpc-error-details';
import { traceIdOf } from './telemetry.js';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';
const PROBLEM_TYPE_PREFIX = 'urn:problem-type:wren:';

/** Every kind of problem the API answers with; clients match on `type`, never on `title`. */
export const PROBLEM_KINDS = {
  'validation-failed': { status: 400, title: 'The request is not valid' },
  'malformed-request': { status: 400, title: 'The request could not be read' },
  'failed-precondition': { status: 400, title: 'The request cannot be applied in the current state' },
  unauthenticated: { status: 401, title: 'Authentication is required' },
  forbidden: { status: 403, title: 'Not allowed' },
  'not-found': { status: 404, title: 'Not found' },
  'request-timeout': { status: 408, title: 'The request took too long to arrive' },
  conflict: { status: 409, title: 'Conflict' },
  'unprocessable-content': { status: 422, title: 'The request cannot be processed as sent' },
  'payload-too-large': { status: 413, title: 'The request body is too large' },
  'uri-too-long': { status: 414, title: 'The URL is too long' },
  'unsupported-media-type': { status: 415, title: 'Unsupported media type' },
  'rate-limited': { status: 429, title: 'Too many requests' },
  'headers-too-large': { status: 431, title: 'The request headers are too large' },
  // nginx's code: never seen by the client (it left), but logged and counted as its doing.
  'client-closed-request': { status: 499, title: 'The client closed the request' },
  internal: { status: 500, title: 'Internal error' },
  'service-unavailable': { status: 503, title: 'Service unavailable' },
  'not-ready': { status: 503, title: 'Not ready' },
  'gateway-timeout': { status: 504, title: 'A service took too long to answer' },
} as const satisfies Record<string, { status: number; title: string }>;

export type ProblemKind = keyof typeof PROBLEM_KINDS;

export const problemType = (kind: ProblemKind): string => `${PROBLEM_TYPE_PREFIX}${kind}`;

/** The gRPC → HTTP table (docs/api.md, Errors). Codes not listed are 500. */
export const GRPC_STATUS_TO_PROBLEM: ReadonlyMap<Status, ProblemKind> = new Map<Status, ProblemKind>([
  [Status.INVALID_ARGUMENT, 'validation-failed'], // 400
  [Status.FAILED_PRECONDITION, 'failed-precondition'], // 400
  [Status.UNAUTHENTICATED, 'unauthenticated'], // 401
  [Status.PERMISSION_DENIED, 'forbidden'], // 403
  [Status.NOT_FOUND, 'not-found'], // 404
  [Status.ALREADY_EXISTS, 'conflict'], // 409
  [Status.ABORTED, 'conflict'], // 409
  [Status.RESOURCE_EXHAUSTED, 'rate-limited'], // 429
  [Status.UNAVAILABLE, 'service-unavailable'], // 503
  [Status.DEADLINE_EXCEEDED, 'gateway-timeout'], // 504
]);

/**
 * The exceptions to the table: a service reason (google.rpc.ErrorInfo `reason`) that needs a
 * finer HTTP status than its gRPC code gives. Each applies only together with its code, so a
 * reason raised under another code still follows the table.
 */
export const GRPC_REASON_OVERRIDES: readonly { code: Status; reason: string; kind: ProblemKind }[] = [
  // An Idempotency-Key reused with a different body: 422, as the IETF Idempotency-Key header
  // draft says (a retry of the same request is answered; this is a different request).
  // IDEMPOTENCY_KEY_IN_USE (ABORTED: the first request is still running) stays a 409.
  { code: Status.FAILED_PRECONDITION, reason: IDEMPOTENCY_KEY_REUSED, kind: 'unprocessable-content' },
  // A full list of push destinations is a state to change (unregister one), not a rate to wait
  // out: 409, not 429.
  { code: Status.RESOURCE_EXHAUSTED, reason: 'TOO_MANY_SUBSCRIPTIONS', kind: 'conflict' },
  { code: Status.RESOURCE_EXHAUSTED, reason: 'TOO_MANY_PUSH_TOKENS', kind: 'conflict' },
];

export function problemKindForGrpc(code: Status, reason?: string): ProblemKind {
  const override = GRPC_REASON_OVERRIDES.find((entry) => entry.code === code && entry.reason === reason);
  return override?.kind ?? GRPC_STATUS_TO_PROBLEM.get(code) ?? 'internal';
}

export interface FieldError {
  field: string;
  message: string;
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  requestId: string;
  /** The trace of this request (when tracing is on): find it in Jaeger. */
  traceId?: string;
  /** The service's stable reason (google.rpc.ErrorInfo), e.g. `USERNAME_TAKEN`. */
  code?: string;
  errors?: FieldError[];
}

/** A refusal raised by the gateway itself (auth, rate limit, readiness). */
export class ProblemError extends Error {
  constructor(
    readonly kind: ProblemKind,
    readonly detail: string,
    readonly extra: { errors?: FieldError[]; code?: string } = {},
  ) {
    super(detail);
    this.name = 'ProblemError';
  }
}

// Services name fields as in the proto; clients know them by the JSON names they sent.
// The idempotency key travels as metadata; the client sent it as a header.
const DEFAULT_FIELD_ALIASES: Readonly<Record<string, string>> = {
  page_token: 'cursor',
  page_size: 'limit',
  idempotency_key: 'Idempotency-Key',
};

const snakeToCamel = (name: string): string => name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/**
 * `current_password` → `currentPassword`; a route's aliases win (e.g. `session_id` → `id`),
 * also for an element of a renamed repeated field (`notification_ids[2]` → `ids[2]`).
 */
export function jsonFieldName(protoField: string, aliases: Readonly<Record<string, string>> = {}): string {
  const aliasOf = (name: string): string | undefined => aliases[name] ?? DEFAULT_FIELD_ALIASES[name];
  const alias = aliasOf(protoField);
  if (alias !== undefined) return alias;
  const [, head = '', rest = ''] = /^([a-z0-9_]+)([.[].*)$/.exec(protoField) ?? [];
  const headAlias = aliasOf(head);
  if (headAlias !== undefined) return `${headAlias}${snakeToCamel(rest)}`;
  return protoField.split('.').map(snakeToCamel).join('.');
}

interface AjvError {
  keyword: string;
  instancePath: string;
  params: Record<string, unknown>;
  message?: string;
}

const CONTEXT_NAMES: Readonly<Record<string, string>> = { querystring: 'query' };

// Node lower-cases header names; a client knows them as written (`Idempotency-Key`).
const headerName = (name: string): string =>
  name.replace(/(^|-)([a-z])/g, (_, dash: string, c: string) => dash + c.toUpperCase());

/** One field error per ajv error: `/profile/bio` → `profile.bio`, unknown properties by name. */
export function fieldErrorsFromValidation(errors: readonly AjvError[], context = 'body'): FieldError[] {
  const seen = new Set<string>();
  const result: FieldError[] = [];
  for (const error of errors) {
    const path = error.instancePath
      .split('/')
      .slice(1)
      .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'));
    let message = error.message ?? 'is not valid';
    if (error.keyword === 'required' && typeof error.params.missingProperty === 'string') {
      path.push(error.params.missingProperty);
      message = 'is required';
    } else if (error.keyword === 'additionalProperties' && typeof error.params.additionalProperty === 'string') {
      path.push(error.params.additionalProperty);
      message = 'is not an allowed field';
    }
    const named = context === 'headers' ? path.map(headerName) : path;
    const field = named.length > 0 ? named.join('.') : (CONTEXT_NAMES[context] ?? context);
    const key = `${field}\n${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    result.push({ field, message });
  }
  return result;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Proto field names this route reports under another JSON name (`session_id` → `id`). */
    fieldAliases?: Readonly<Record<string, string>>;
  }
}

export interface ProblemOptions {
  /** Renames of proto field names for this route (`session_id` → `id`). */
  fieldAliases?: Readonly<Record<string, string>>;
}

interface ResolvedProblem {
  kind: ProblemKind;
  detail: string;
  errors?: FieldError[];
  code?: string;
  retryAfterSeconds?: number;
  /** The gateway's own wording, safe to show even on a 5xx. */
  ownDetail?: boolean;
}

const INTERNAL_DETAIL = 'Something went wrong on our side. Quote the request id if you report it.';
const GENERIC_DETAIL: Partial<Record<ProblemKind, string>> = {
  'service-unavailable': 'A service is unavailable. Try again shortly.',
  'gateway-timeout': 'A service did not answer in time. Try again shortly.',
};

function fromGrpc(error: ClientError, options: ProblemOptions): ResolvedProblem {
  const resolved: ResolvedProblem = { kind: problemKindForGrpc(error.code), detail: error.details };
  if (error instanceof RichClientError) {
    const errors: FieldError[] = [];
    for (const detail of error.extra) {
      if (detail.$type === 'google.rpc.BadRequest') {
        for (const violation of detail.fieldViolations) {
          errors.push({ field: jsonFieldName(violation.field, options.fieldAliases), message: violation.description });
        }
      } else if (detail.$type === 'google.rpc.ErrorInfo' && detail.reason) {
        resolved.code = detail.reason;
      } else if (detail.$type === 'google.rpc.RetryInfo' && detail.retryDelay) {
        resolved.retryAfterSeconds = Math.max(1, Math.ceil(Number(detail.retryDelay.seconds)));
      }
    }
    if (errors.length > 0) resolved.errors = errors;
    resolved.kind = problemKindForGrpc(error.code, resolved.code);
  }
  return resolved;
}

const FASTIFY_STATUS_TO_PROBLEM: Readonly<Record<number, ProblemKind>> = {
  400: 'malformed-request',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not-found',
  408: 'request-timeout',
  413: 'payload-too-large',
  414: 'uri-too-long',
  415: 'unsupported-media-type',
  429: 'rate-limited',
  431: 'headers-too-large',
  503: 'service-unavailable',
};

/**
 * What the gateway says about Fastify's own refusals. Their messages quote the input (the
 * path, the Content-Type, a piece of the body), so none is passed on: known codes get a
 * sentence of ours, the others their kind's title.
 */
const FASTIFY_DETAILS: Readonly<Record<string, string>> = {
  FST_ERR_BAD_URL: 'The path is not valid percent-encoded UTF-8.',
  FST_ERR_MAX_PARAM_LENGTH: 'A segment of the path is too long.',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'Send the body as application/json.',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'The body is empty.',
  FST_ERR_CTP_BODY_TOO_LARGE: 'The body is larger than this gateway accepts.',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'Content-Length does not match the body.',
  FST_ERR_CTP_INVALID_JSON_BODY: 'The body is not valid JSON.',
};
// Fastify's JSON parser throws the SyntaxError of JSON.parse (with a 400), which quotes the body.
const detailOfFastifyError = (error: Partial<FastifyError> & Error, kind: ProblemKind): string =>
  (error.code ? FASTIFY_DETAILS[error.code] : undefined) ??
  (error.name === 'SyntaxError' ? 'The body is not valid JSON.' : PROBLEM_KINDS[kind].title);

function resolve(error: unknown, options: ProblemOptions): ResolvedProblem {
  if (error instanceof ProblemError) return { kind: error.kind, detail: error.detail, ownDetail: true, ...error.extra };
  if (error instanceof ClientError) return fromGrpc(error, options);
  const fastifyError = error as Partial<FastifyError> | undefined;
  if (fastifyError?.validation) {
    const errors = fieldErrorsFromValidation(fastifyError.validation, fastifyError.validationContext);
    return {
      kind: 'validation-failed',
      detail: errors.map((e) => `${e.field} ${e.message}`).join('; '),
      errors,
    };
  }
  const status = fastifyError?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    const kind = FASTIFY_STATUS_TO_PROBLEM[status] ?? 'malformed-request';
    return { kind, detail: detailOfFastifyError(fastifyError as Partial<FastifyError> & Error, kind) };
  }
  return { kind: 'internal', detail: '' };
}

// RFC 3986 pchar, `/` and `%`: what a path may hold as sent, with nothing to escape.
const UNSAFE_IN_PATH = /[^A-Za-z0-9\-._~!$&'()*+,;=:@/%]/g;

/**
 * The path of a request, safe to show back: anything a well-formed URL would have
 * percent-encoded is (the HTTP parser lets a few such characters through, and a raw `<` or
 * `"` echoed into an answer is one step from being rendered somewhere).
 */
export function safePath(url: string): string {
  const path = url.split('?')[0] ?? url;
  return path.replace(UNSAFE_IN_PATH, (c) =>
    [...Buffer.from(c)].map((byte) => `%${byte.toString(16).toUpperCase().padStart(2, '0')}`).join(''),
  );
}

function render(resolved: ResolvedProblem, request: FastifyRequest): Problem {
  const { status, title } = PROBLEM_KINDS[resolved.kind];
  const problem: Problem = {
    type: problemType(resolved.kind),
    title,
    status,
    // 5xx say nothing about the cause: the log has it, under the same request id.
    detail: status >= 500 && !resolved.ownDetail ? (GENERIC_DETAIL[resolved.kind] ?? INTERNAL_DETAIL) : resolved.detail,
    instance: safePath(request.url),
    requestId: request.id,
  };
  const traceId = traceIdOf(request);
  if (traceId) problem.traceId = traceId;
  if (status < 500 && resolved.code) problem.code = resolved.code;
  if (status < 500 && resolved.errors && resolved.errors.length > 0) problem.errors = resolved.errors;
  return problem;
}

/** The problem document for any error. */
export function problemFor(error: unknown, request: FastifyRequest, options: ProblemOptions = {}): Problem {
  return render(resolve(error, options), request);
}

/**
 * RFC 6750 §3: `invalid_token` when the request carried a token that failed (here, or at the
 * service that got it forwarded); the bare challenge when it carried none.
 */
export function bearerChallenge(request: FastifyRequest): string {
  const tokenFailed = Boolean(request.authFailure) || Boolean(request.caller);
  return tokenFailed ? 'Bearer realm="wren", error="invalid_token"' : 'Bearer realm="wren"';
}

export function sendProblem(reply: FastifyReply, problem: Problem): FastifyReply {
  if (problem.status === 401) reply.header('www-authenticate', bearerChallenge(reply.request));
  return reply.code(problem.status).type(PROBLEM_CONTENT_TYPE).send(problem);
}

/** Installs the error and not-found handlers: nothing leaves the gateway as anything else. */
export function installProblemHandlers(app: FastifyInstance): void {
  app.setErrorHandler((error, request, reply) => {
    const resolved = resolve(error, { fieldAliases: request.routeOptions.config.fieldAliases });
    const problem = render(resolved, request);
    if (problem.status >= 500) {
      request.log.error({ err: error, status: problem.status }, 'request failed');
    } else {
      request.log.debug({ err: error, status: problem.status }, 'request refused');
    }
    if (resolved.retryAfterSeconds !== undefined && !reply.hasHeader('retry-after')) {
      reply.header('retry-after', resolved.retryAfterSeconds);
    }
    return sendProblem(reply, problem);
  });
  app.setNotFoundHandler((request, reply) =>
    sendProblem(
      reply,
      problemFor(new ProblemError('not-found', `No route ${request.method} ${safePath(request.url)}`), request),
    ),
  );
}
