/** The error table and the problem documents, as plain functions. */
import type { FastifyRequest } from 'fastify';
import { ClientError, Status } from 'nice-grpc-common';
import { BadRequest, ErrorInfo, RetryInfo, RichClientError } from 'nice-grpc-error-details';
import { describe, expect, test } from 'vitest';
import {
  fieldErrorsFromValidation,
  GRPC_REASON_OVERRIDES,
  GRPC_STATUS_TO_PROBLEM,
  jsonFieldName,
  PROBLEM_KINDS,
  ProblemError,
  problemFor,
  problemKindForGrpc,
} from '../src/errors.js';

const request = (overrides: Partial<FastifyRequest> = {}) =>
  ({ url: '/v1/things?cursor=abc', id: 'req-1', headers: {}, ...overrides }) as unknown as FastifyRequest;

const httpStatusOf = (code: Status) => PROBLEM_KINDS[problemKindForGrpc(code)].status;

describe('gRPC status → HTTP status', () => {
  test.each([
    [Status.INVALID_ARGUMENT, 400],
    [Status.FAILED_PRECONDITION, 400],
    [Status.UNAUTHENTICATED, 401],
    [Status.PERMISSION_DENIED, 403],
    [Status.NOT_FOUND, 404],
    [Status.ALREADY_EXISTS, 409],
    [Status.ABORTED, 409],
    [Status.RESOURCE_EXHAUSTED, 429],
    [Status.UNAVAILABLE, 503],
    [Status.DEADLINE_EXCEEDED, 504],
  ])('%s → %i', (code, status) => {
    expect(httpStatusOf(code)).toBe(status);
  });

  test('every other code is a 500', () => {
    const others = Object.values(Status).filter(
      (code): code is Status => typeof code === 'number' && !GRPC_STATUS_TO_PROBLEM.has(code),
    );
    expect(others.map((code) => Status[code]).sort()).toEqual(
      ['CANCELLED', 'DATA_LOSS', 'INTERNAL', 'OK', 'OUT_OF_RANGE', 'UNIMPLEMENTED', 'UNKNOWN'].sort(),
    );
    for (const code of others) expect(httpStatusOf(code)).toBe(500);
  });
});

describe('reason overrides', () => {
  const rich = (code: Status, reason: string) =>
    new RichClientError('/wren.post.v1.PostService/CreatePost', code, 'said the service', [
      ErrorInfo.fromPartial({ reason, domain: 'wren' }),
    ]);

  test('IDEMPOTENCY_KEY_REUSED under FAILED_PRECONDITION → 422; the same reason under another code → the table', () => {
    expect(GRPC_REASON_OVERRIDES).toEqual([
      { code: Status.FAILED_PRECONDITION, reason: 'IDEMPOTENCY_KEY_REUSED', kind: 'unprocessable-content' },
      { code: Status.RESOURCE_EXHAUSTED, reason: 'TOO_MANY_SUBSCRIPTIONS', kind: 'conflict' },
      { code: Status.RESOURCE_EXHAUSTED, reason: 'TOO_MANY_PUSH_TOKENS', kind: 'conflict' },
    ]);
    expect(problemFor(rich(Status.FAILED_PRECONDITION, 'IDEMPOTENCY_KEY_REUSED'), request())).toMatchObject({
      status: 422,
      type: 'urn:problem-type:wren:unprocessable-content',
      code: 'IDEMPOTENCY_KEY_REUSED',
    });
    expect(problemFor(rich(Status.INVALID_ARGUMENT, 'IDEMPOTENCY_KEY_REUSED'), request()).status).toBe(400);
    expect(problemFor(rich(Status.FAILED_PRECONDITION, 'POST_NOT_SHAREABLE'), request()).status).toBe(400);
    expect(problemFor(rich(Status.ABORTED, 'IDEMPOTENCY_KEY_IN_USE'), request()).status).toBe(409);
  });
});

describe('field names', () => {
  test.each([
    ['current_password', undefined, 'currentPassword'],
    ['display_name', undefined, 'displayName'],
    ['avatar_url', undefined, 'avatarUrl'],
    ['page_token', undefined, 'cursor'],
    ['page_size', undefined, 'limit'],
    ['username', undefined, 'username'],
    ['client.user_agent', undefined, 'client.userAgent'],
    ['session_id', { session_id: 'id' }, 'id'],
    ['idempotency_key', undefined, 'Idempotency-Key'],
    ['post_id', { post_id: 'id' }, 'id'],
    ['notification_ids[2]', { notification_ids: 'ids' }, 'ids[2]'],
    ['notification_ids.2', { notification_ids: 'ids' }, 'ids.2'],
    ['preferences[0].channel', { notification_ids: 'ids' }, 'preferences[0].channel'],
  ])('%s → %s', (proto, aliases, json) => {
    expect(jsonFieldName(proto, aliases)).toBe(json);
  });
});

describe('validation errors → field errors', () => {
  test('paths, missing and unknown properties, body-level rules', () => {
    expect(
      fieldErrorsFromValidation([
        {
          keyword: 'maxLength',
          instancePath: '/username',
          params: { limit: 30 },
          message: 'must NOT have more than 30 characters',
        },
        {
          keyword: 'required',
          instancePath: '',
          params: { missingProperty: 'password' },
          message: "must have required property 'password'",
        },
        {
          keyword: 'additionalProperties',
          instancePath: '',
          params: { additionalProperty: 'isAdmin' },
          message: 'must NOT have additional properties',
        },
        { keyword: 'type', instancePath: '/profile/a~1b', params: {}, message: 'must be string' },
        {
          keyword: 'minProperties',
          instancePath: '',
          params: { limit: 1 },
          message: 'must NOT have fewer than 1 properties',
        },
      ]),
    ).toEqual([
      { field: 'username', message: 'must NOT have more than 30 characters' },
      { field: 'password', message: 'is required' },
      { field: 'isAdmin', message: 'is not an allowed field' },
      { field: 'profile.a/b', message: 'must be string' },
      { field: 'body', message: 'must NOT have fewer than 1 properties' },
    ]);
  });

  test('a header is named as clients write it', () => {
    const error = { keyword: 'maxLength', instancePath: '/idempotency-key', params: {}, message: 'too long' };
    expect(fieldErrorsFromValidation([error], 'headers')).toEqual([{ field: 'Idempotency-Key', message: 'too long' }]);
  });

  test('a query-level rule names the query, and duplicates collapse', () => {
    const error = { keyword: 'anyOf', instancePath: '', params: {}, message: 'must match a schema in anyOf' };
    expect(fieldErrorsFromValidation([error, error], 'querystring')).toEqual([
      { field: 'query', message: 'must match a schema in anyOf' },
    ]);
  });
});

describe('problem documents', () => {
  test('a service field violation and reason come through under JSON names', () => {
    const error = new RichClientError('/wren.user.v1.AuthService/ChangePassword', Status.INVALID_ARGUMENT, 'bad', [
      BadRequest.fromPartial({
        fieldViolations: [{ field: 'current_password', description: 'is not the current password' }],
      }),
      ErrorInfo.fromPartial({ reason: 'WRONG_PASSWORD', domain: 'wren' }),
    ]);
    expect(problemFor(error, request())).toEqual({
      type: 'urn:problem-type:wren:validation-failed',
      title: PROBLEM_KINDS['validation-failed'].title,
      status: 400,
      detail: 'bad',
      instance: '/v1/things',
      requestId: 'req-1',
      code: 'WRONG_PASSWORD',
      errors: [{ field: 'currentPassword', message: 'is not the current password' }],
    });
  });

  test('a 5xx says nothing of the cause', () => {
    const error = new RichClientError('/x', Status.INTERNAL, 'connection to db:5432 failed: password hunter2', [
      ErrorInfo.fromPartial({ reason: 'DB_DOWN' }),
    ]);
    const problem = problemFor(error, request());
    expect(problem.status).toBe(500);
    expect(JSON.stringify(problem)).not.toMatch(/hunter2|db:5432|DB_DOWN/);
    expect(problemFor(new TypeError('x is undefined at foo.ts:12'), request()).detail).not.toMatch(/foo\.ts/);
    expect(problemFor(new ClientError('/x', Status.UNAVAILABLE, 'No connection established'), request())).toMatchObject(
      { status: 503, type: 'urn:problem-type:wren:service-unavailable' },
    );
  });

  test('the gateway’s own refusals keep their words, even on a 503', () => {
    expect(problemFor(new ProblemError('not-ready', 'Not serving: post-service.'), request())).toMatchObject({
      status: 503,
      detail: 'Not serving: post-service.',
    });
  });

  test('Fastify’s client errors map by status', () => {
    const tooLarge = Object.assign(new Error('Request body is too large'), { statusCode: 413 });
    const media = Object.assign(new Error('Unsupported Media Type'), { statusCode: 415 });
    expect(problemFor(tooLarge, request()).type).toBe('urn:problem-type:wren:payload-too-large');
    expect(problemFor(media, request()).type).toBe('urn:problem-type:wren:unsupported-media-type');
  });

  test('RetryInfo is kept for the Retry-After header, not the body', () => {
    const error = new RichClientError('/x', Status.RESOURCE_EXHAUSTED, 'slow down', [
      RetryInfo.fromPartial({ retryDelay: { seconds: 7, nanos: 0 } }),
    ]);
    expect(problemFor(error, request())).toMatchObject({ status: 429, detail: 'slow down' });
  });
});
