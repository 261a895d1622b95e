/**
 * A stand-in for post-service (PostService, CommentService, ReactionService and health)
 * that speaks real gRPC, rich error details included, and answers whatever the test scripts;
 * like the scripted user-service, it records each call's request and metadata.
 */
import {
  CommentServiceDefinition,
  type CommentServiceImplementation,
} from '@wren/contracts/post/v1/comment_service.js';
import { PostServiceDefinition, type PostServiceImplementation } from '@wren/contracts/post/v1/post_service.js';
import {
  ReactionServiceDefinition,
  type ReactionServiceImplementation,
} from '@wren/contracts/post/v1/reaction_service.js';
import { createServer } from 'nice-grpc';
import { errorDetailsServerMiddleware } from 'nice-grpc-error-details';
import { HealthDefinition, HealthServiceImpl, HealthState } from 'nice-grpc-server-health';
import { type Handler, type RecordedCall, scripted } from './scripted.js';

type Impl = PostServiceImplementation & CommentServiceImplementation & ReactionServiceImplementation;
type MethodName = keyof Impl;

export interface ScriptedPostService {
  addr: string;
  calls: RecordedCall[];
  /** Scripts one method; unscripted methods answer UNIMPLEMENTED. */
  on<M extends MethodName>(method: M, handler: (request: Parameters<Impl[M]>[0]) => ReturnType<Impl[M]>): void;
  reset(): void;
  stop(): Promise<void>;
}

export async function startScriptedPostService(): Promise<ScriptedPostService> {
  const handlers = new Map<string, Handler>();
  const calls: RecordedCall[] = [];
  const server = createServer().use(errorDetailsServerMiddleware);
  server.add(
    PostServiceDefinition,
    scripted(PostServiceDefinition, handlers, calls) as unknown as PostServiceImplementation,
  );
  server.add(
    CommentServiceDefinition,
    scripted(CommentServiceDefinition, handlers, calls) as unknown as CommentServiceImplementation,
  );
  server.add(
    ReactionServiceDefinition,
    scripted(ReactionServiceDefinition, handlers, calls) as unknown as ReactionServiceImplementation,
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
