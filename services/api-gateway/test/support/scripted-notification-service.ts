/**
 * A stand-in for notification-service (NotificationService and health) that speaks real
 * gRPC, rich error details included, and answers whatever the test scripts; like the other
 * scripted services, it records each call's request and metadata.
 */
import {
  NotificationServiceDefinition,
  type NotificationServiceImplementation,
} from '@wren/contracts/notification/v1/notification_service.js';
import { createServer } from 'nice-grpc';
import { errorDetailsServerMiddleware } from 'nice-grpc-error-details';
import { HealthDefinition, HealthServiceImpl, HealthState } from 'nice-grpc-server-health';
import { type Handler, type RecordedCall, scripted } from './scripted.js';

type Impl = NotificationServiceImplementation;
type MethodName = keyof Impl;

export interface ScriptedNotificationService {
  addr: string;
  calls: RecordedCall[];
  /** Scripts one method; unscripted methods answer UNIMPLEMENTED. */
  on<M extends MethodName>(method: M, handler: (request: Parameters<Impl[M]>[0]) => ReturnType<Impl[M]>): void;
  reset(): void;
  stop(): Promise<void>;
}

export async function startScriptedNotificationService(): Promise<ScriptedNotificationService> {
  const handlers = new Map<string, Handler>();
  const calls: RecordedCall[] = [];
  const server = createServer().use(errorDetailsServerMiddleware);
  server.add(
    NotificationServiceDefinition,
    scripted(NotificationServiceDefinition, handlers, calls) as unknown as NotificationServiceImplementation,
  );
  server.add(HealthDefinition, HealthServiceImpl(HealthState()));
  const port = await server.listen('127.0.0.1:0');
  return {
    addr: `127.0.0.1:${port}`,
    calls,
    on(method, handler) {
      handlers.set(method, handler as Handler);
    },
    reset() {
      handlers.clear();
      calls.length = 0;
    },
    stop: () => server.shutdown(),
  };
}
