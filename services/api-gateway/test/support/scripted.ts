/**
 * The machinery of the scripted services: every method of a service definition records its
 * call (request and metadata) and answers what the test scripted, UNIMPLEMENTED otherwise.
 */
import { type CallContext, ServerError, Status } from 'nice-grpc-common';

// biome-ignore lint/suspicious/noExplicitAny: each scripted handler has its own request type
export type Handler = (request: any, context: CallContext) => Promise<unknown>;

export interface RecordedCall {
  method: string;
  request: unknown;
  authorization: string | undefined;
  requestId: string | undefined;
  /** Only when the call carried one. */
  idempotencyKey?: string;
}

export function scripted<Def extends { methods: Record<string, unknown> }>(
  definition: Def,
  handlers: Map<string, Handler>,
  calls: RecordedCall[],
): Record<string, Handler> {
  return Object.fromEntries(
    Object.keys(definition.methods).map((method) => [
      method,
      async (request: unknown, context: CallContext) => {
        const call: RecordedCall = {
          method,
          request,
          authorization: context.metadata.get('authorization'),
          requestId: context.metadata.get('x-request-id'),
        };
        const key = context.metadata.get('idempotency-key');
        if (key !== undefined) call.idempotencyKey = key;
        calls.push(call);
        const handler = handlers.get(method);
        if (!handler) throw new ServerError(Status.UNIMPLEMENTED, `${method} is not scripted`);
        return handler(request, context);
      },
    ]),
  );
}
