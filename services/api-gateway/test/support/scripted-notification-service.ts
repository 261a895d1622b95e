/**
 * A stand-in for notification-service (NotificationService, PushService and health) that
 * speaks real gRPC, rich error details included, and answers whatever the test scripts; like
 * the other scripted services, it records each call's request and metadata.
 */
import {
  NotificationServiceDefinition,
  type NotificationServiceImplementation,
  type StreamNotificationsRequest,
  type StreamNotificationsResponse,
} from '@wren/contracts/notification/v1/notification_service.js';
import { PushServiceDefinition, type PushServiceImplementation } from '@wren/contracts/notification/v1/push_service.js';
import { type CallContext, createServer, ServerError, Status } from 'nice-grpc';
import { errorDetailsServerMiddleware } from 'nice-grpc-error-details';
import { HealthDefinition, HealthServiceImpl, HealthState } from 'nice-grpc-server-health';
import { type Handler, type RecordedCall, scripted } from './scripted.js';

type Impl = NotificationServiceImplementation;
type MethodName = Exclude<keyof Impl, 'streamNotifications'>;
type PushImpl = PushServiceImplementation;
type PushMethodName = keyof PushImpl;

/** A scripted stream: what to send, given the request and the signal that ends the call. */
export type StreamScript = (
  request: StreamNotificationsRequest,
  signal: AbortSignal,
) => AsyncIterable<StreamNotificationsResponse>;

export interface ScriptedNotificationService {
  addr: string;
  calls: RecordedCall[];
  /** Scripts one method; unscripted methods answer UNIMPLEMENTED. */
  on<M extends MethodName>(method: M, handler: (request: Parameters<Impl[M]>[0]) => ReturnType<Impl[M]>): void;
  /** Scripts StreamNotifications. */
  onStream(script: StreamScript): void;
  /** Scripts one PushService method. */
  onPush<M extends PushMethodName>(
    method: M,
    handler: (request: Parameters<PushImpl[M]>[0]) => ReturnType<PushImpl[M]>,
  ): void;
  reset(): void;
  stop(): Promise<void>;
}

export async function startScriptedNotificationService(): Promise<ScriptedNotificationService> {
  const handlers = new Map<string, Handler>();
  const pushHandlers = new Map<string, Handler>();
  let stream: StreamScript | undefined;
  const calls: RecordedCall[] = [];
  const server = createServer().use(errorDetailsServerMiddleware);
  const notifications = scripted(NotificationServiceDefinition, handlers, calls);
  server.add(NotificationServiceDefinition, {
    ...notifications,
    // A server-streaming method is a generator, which the unary machinery cannot script.
    async *streamNotifications(request: StreamNotificationsRequest, context: CallContext) {
      calls.push({
        method: 'streamNotifications',
        request,
        authorization: context.metadata.get('authorization'),
        requestId: context.metadata.get('x-request-id'),
      });
      if (!stream) throw new ServerError(Status.UNIMPLEMENTED, 'streamNotifications is not scripted');
      yield* stream(request, context.signal);
    },
  } as unknown as Impl);
  server.add(PushServiceDefinition, scripted(PushServiceDefinition, pushHandlers, calls) as unknown as PushImpl);
  server.add(HealthDefinition, HealthServiceImpl(HealthState()));
  const port = await server.listen('127.0.0.1:0');
  return {
    addr: `127.0.0.1:${port}`,
    calls,
    on(method, handler) {
      handlers.set(method, handler as Handler);
    },
    onStream(script) {
      stream = script;
    },
    onPush(method, handler) {
      pushHandlers.set(method, handler as Handler);
    },
    reset() {
      handlers.clear();
      pushHandlers.clear();
      stream = undefined;
      calls.length = 0;
    },
    // Streams left open by a test would hold a graceful shutdown.
    stop: async () => server.forceShutdown(),
  };
}
