/**
 * The outermost server middleware: gives each call a request id and a child logger, logs
 * failures, and turns anything that is not a deliberate gRPC status into INTERNAL so that
 * no internals leak to callers — except a database that cannot be reached, which is
 * UNAVAILABLE: an outage the caller may retry (the gateway answers 503), not a bug.
 */
import { randomUUID } from 'node:crypto';
import { isAbortError } from 'abort-controller-x';
import { ServerError, type ServerMiddleware, Status } from 'nice-grpc-common';
import { isConnectionError } from '../db/connection-errors.js';
import type { Logger } from '../logger.js';

const REQUEST_ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;

export function observeMiddleware(logger: Logger): ServerMiddleware<{ requestId: string; log: Logger }> {
  return async function* observe(call, context) {
    const incoming = context.metadata.get('x-request-id');
    const requestId = incoming && REQUEST_ID_PATTERN.test(incoming) ? incoming : randomUUID();
    const log = logger.child({ requestId, method: call.method.path });
    const started = performance.now();
    try {
      const result = yield* call.next(call.request, { ...context, requestId, log });
      log.debug({ ms: Math.round(performance.now() - started) }, 'rpc ok');
      return result;
    } catch (error) {
      const ms = Math.round(performance.now() - started);
      if (error instanceof ServerError) {
        const level = error.code === Status.INTERNAL || error.code === Status.UNKNOWN ? 'error' : 'debug';
        log[level]({ ms, code: Status[error.code], details: error.details }, 'rpc failed');
        throw error;
      }
      if (isAbortError(error)) {
        log.debug({ ms }, 'rpc cancelled');
        throw error;
      }
      if (isConnectionError(error)) {
        log.warn({ ms, err: error }, 'rpc failed: database unavailable');
        throw new ServerError(Status.UNAVAILABLE, 'the database is unavailable; try again shortly');
      }
      log.error({ ms, err: error }, 'rpc crashed');
      throw new ServerError(Status.INTERNAL, 'internal error');
    }
  };
}
