/** The RFC 9457 problem document every error is answered with, and its OpenAPI entries. */
import { Type } from 'typebox';
import { PROBLEM_CONTENT_TYPE } from '../errors.js';

export const FieldErrorSchema = Type.Object(
  {
    field: Type.String({ description: 'The JSON name of the field, as the client sent it (`cursor`, `password`).' }),
    message: Type.String(),
  },
  { additionalProperties: false },
);

export const ProblemSchema = Type.Object(
  {
    type: Type.String({ description: 'Stable URI of the kind of problem, e.g. `urn:problem-type:wren:not-found`.' }),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.String(),
    instance: Type.String({ description: 'The request path.' }),
    requestId: Type.String({ description: 'Also in the `X-Request-Id` response header and in our logs.' }),
    traceId: Type.Optional(
      Type.String({ description: 'The W3C trace id of the request, when tracing is on (look it up in Jaeger).' }),
    ),
    code: Type.Optional(Type.String({ description: 'A stable reason from the service, e.g. `USERNAME_TAKEN`.' })),
    errors: Type.Optional(Type.Array(FieldErrorSchema)),
  },
  { $id: 'Problem', additionalProperties: false, description: 'RFC 9457 problem details' },
);

// One shared definition (app.addSchema in server.ts), so the OpenAPI document lists it once
// under components instead of inlining it into every error response of every route.
const ProblemRef = Type.Ref('Problem');

const DESCRIPTIONS: Readonly<Record<number, string>> = {
  400: 'The request is malformed or a field is not valid.',
  401: 'No access token, or one that is expired or invalid (see `WWW-Authenticate`).',
  403: 'Not allowed.',
  404: 'Not found.',
  409: 'Conflicts with the current state (for example a taken username).',
  413: 'The body exceeds the size limit.',
  415: 'The body is not `application/json`.',
  422: 'The `Idempotency-Key` was already used with a different request (`code`: `IDEMPOTENCY_KEY_REUSED`).',
  429: 'Rate limited; see `Retry-After` and the `RateLimit-*` headers.',
  500: 'Internal error; quote `requestId` when you report it.',
  503: 'A service is unavailable.',
  504: 'A service did not answer in time.',
};

const problemResponse = (status: number) => ({
  description: DESCRIPTIONS[status] ?? 'Error.',
  content: { [PROBLEM_CONTENT_TYPE]: { schema: ProblemRef } },
});

// What any /v1 route may answer besides its own errors.
const COMMON_STATUSES = [400, 429, 500, 503, 504] as const;

/** Response schema entries for the given error statuses, plus the ones every route has. */
export function problemResponses(...statuses: number[]): Record<number, ReturnType<typeof problemResponse>> {
  const all = [...new Set([...COMMON_STATUSES, ...statuses])].sort((a, b) => a - b);
  return Object.fromEntries(all.map((status) => [status, problemResponse(status)]));
}
