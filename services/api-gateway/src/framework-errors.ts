/**
 * The refusals that never reach a route, answered as problem+json like every other error:
 *
 * - Fastify's router errors (`frameworkErrors`): a path that is not valid percent-encoded
 *   UTF-8, an over-long path parameter. Fastify's own answers are plain JSON quoting the path.
 * - Node's HTTP parser errors (`clientError`): malformed HTTP, headers over the size limit,
 *   a request that does not arrive in time. There is no request object then, only the socket,
 *   so the answer is written to it directly and the connection closed.
 */
import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import {
  PROBLEM_CONTENT_TYPE,
  PROBLEM_KINDS,
  type ProblemKind,
  problemFor,
  problemType,
  sendProblem,
} from './errors.js';
import { REQUEST_ID_HEADER } from './request-id.js';

export function answerFrameworkError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  // Route hooks do not run for these (there is no route), so the headers they would set are set here.
  reply.header(REQUEST_ID_HEADER, request.id).header('x-content-type-options', 'nosniff');
  const problem = problemFor(error, request);
  if (problem.status >= 500) request.log.error({ err: error }, 'request failed');
  sendProblem(reply, problem);
}

interface ParserError extends Error {
  code?: string;
}

const CLIENT_ERROR_KINDS: Readonly<Record<string, ProblemKind>> = {
  HPE_HEADER_OVERFLOW: 'headers-too-large',
  ERR_HTTP_REQUEST_TIMEOUT: 'request-timeout',
};

const CLIENT_ERROR_DETAILS: Partial<Record<ProblemKind, string>> = {
  'headers-too-large': 'The request headers exceed the size this server accepts.',
  'request-timeout': 'The request did not arrive in time.',
  'malformed-request': 'The request is not well-formed HTTP/1.1.',
};

/** The whole HTTP answer to a request the parser refused, as bytes ready for the socket. */
export function clientErrorResponse(error: ParserError, requestId: string = randomUUID()): string {
  const kind = CLIENT_ERROR_KINDS[error.code ?? ''] ?? 'malformed-request';
  const { status, title } = PROBLEM_KINDS[kind];
  // No `instance`: the request line may be what could not be read, and is never quoted back.
  const body = JSON.stringify({
    type: problemType(kind),
    title,
    status,
    detail: CLIENT_ERROR_DETAILS[kind] ?? title,
    requestId,
  });
  return [
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}`,
    `Content-Type: ${PROBLEM_CONTENT_TYPE}`,
    `Content-Length: ${Buffer.byteLength(body)}`,
    `${REQUEST_ID_HEADER}: ${requestId}`,
    'X-Content-Type-Options: nosniff',
    'Connection: close',
    '',
    body,
  ].join('\r\n');
}

export function answerClientError(error: ParserError, socket: Socket): void {
  // A reset connection has no one to answer.
  if (error.code === 'ECONNRESET' || !socket.writable) return;
  // end(), not write() then destroy(): the answer must be flushed before the socket closes.
  socket.end(clientErrorResponse(error));
}
