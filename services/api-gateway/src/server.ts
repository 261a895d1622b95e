/**
 * The gateway, assembled in one visible order. Hooks run in the order they are installed,
 * so the order below is the order every request meets them.
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import {
  type AccessTokenVerifier,
  createClientPool,
  createLogger,
  createMetricsRegistry,
  createRemoteJwksVerifier,
  createRemoteRevokedSessions,
  type Logger,
  type Stoppable,
  startAdminServer,
} from '@wren/platform';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import type { Registry } from 'prom-client';
import { installAuth } from './auth.js';
import { createGatewayClients, type GatewayClients } from './clients.js';
import type { GatewayConfig } from './config.js';
import { installProblemHandlers } from './errors.js';
import { answerClientError, answerFrameworkError } from './framework-errors.js';
import { registerOpenApi } from './openapi.js';
import { registerRateLimits } from './rate-limit.js';
import { echoRequestId, requestIdFor } from './request-id.js';
import { authRoutes } from './routes/auth.js';
import { commentsRoutes } from './routes/comments.js';
import { healthRoutes } from './routes/health.js';
import { meRoutes } from './routes/me.js';
import { notificationPreferencesRoutes } from './routes/notification-preferences.js';
import { notificationStreamRoutes } from './routes/notification-stream.js';
import { notificationsRoutes } from './routes/notifications.js';
import { postsRoutes } from './routes/posts.js';
import { pushRoutes } from './routes/push.js';
import { reactionsRoutes } from './routes/reactions.js';
import { timelinesRoutes } from './routes/timelines.js';
import { usersRoutes } from './routes/users.js';
import { ProblemSchema } from './schemas/problem.js';
import { registerCors, registerSecurityHeaders } from './security.js';
import { refuseUnstorableText } from './storable-input.js';
import { installTelemetry } from './telemetry.js';
import { configureRequestParsing } from './validation.js';

const PROBE_PATHS = new Set(['/healthz', '/readyz']);

export interface GatewayDeps {
  clients: GatewayClients;
  verifier: AccessTokenVerifier;
  logger: Logger;
  /** Where the HTTP metrics go. */
  registry: Registry;
}

export async function buildApp(config: GatewayConfig, deps: GatewayDeps): Promise<FastifyInstance> {
  const app = Fastify({
    // The platform's pino logger; typed as Fastify's logger interface so that the helpers
    // below take a plain FastifyInstance.
    loggerInstance: deps.logger as FastifyBaseLogger,
    genReqId: requestIdFor,
    logController: new LogController({
      requestIdLogLabel: 'requestId',
      // Probes arrive every few seconds from every kubelet; their lines would drown the rest.
      disableRequestLogging: (request) => PROBE_PATHS.has(request.url),
    }),
    bodyLimit: config.bodyLimitBytes,
    trustProxy: config.trustProxy,
    // While draining, a request on a kept-alive connection is still served (with
    // `Connection: close`) rather than answered with Fastify's plain-JSON 503.
    return503OnClosing: false,
    // What the router and Node's HTTP parser refuse is problem+json too.
    frameworkErrors: answerFrameworkError,
    clientErrorHandler: answerClientError,
  }).withTypeProvider<TypeBoxTypeProvider>();
  // JSON bodies only; closed schemas, validated without stripping.
  configureRequestParsing(app);
  // Text PostgreSQL cannot store is refused for every route, before validation.
  refuseUnstorableText(app);

  // 0. Telemetry first: the span and the timing cover every later hook.
  installTelemetry(app, deps.registry);
  // Shutdown: every answer sent while draining closes its connection.
  endConnectionsWhileDraining(app);
  // 1. Every answer carries the request id, and every error is problem+json.
  echoRequestId(app);
  installProblemHandlers(app);
  // 2. Security headers and CORS, before anything can refuse a request (a browser must be
  //    able to read a 401 or 429 to act on it).
  await registerSecurityHeaders(app);
  await registerCors(app, config.corsOrigins);
  // 3. Who is calling — before the limiter, which counts per user.
  installAuth(app, deps.verifier);
  // 4. Rate limits. The limiter hooks each route, so it runs after all of the above;
  //    the auth hook that refuses (preParsing) runs after the limiter has counted.
  await registerRateLimits(app, config.rateLimit, deps);
  // 5. The OpenAPI generator, which collects the routes registered after it.
  await registerOpenApi(app, config);
  // 6. Routes, and the schemas they share.
  app.addSchema(ProblemSchema);
  const routeOptions = { clients: deps.clients, config };
  await app.register(healthRoutes, routeOptions);
  await app.register(authRoutes, routeOptions);
  await app.register(meRoutes, routeOptions);
  await app.register(usersRoutes, routeOptions);
  await app.register(postsRoutes, routeOptions);
  await app.register(commentsRoutes, routeOptions);
  await app.register(reactionsRoutes, routeOptions);
  await app.register(timelinesRoutes, routeOptions);
  await app.register(notificationsRoutes, routeOptions);
  await app.register(notificationPreferencesRoutes, routeOptions);
  await app.register(notificationStreamRoutes, routeOptions);
  await app.register(pushRoutes, routeOptions);
  return app;
}

/**
 * Fastify reaps only the connections idle when close() starts. A keep-alive connection
 * whose request was still running would stay open after its answer, holding the drain
 * until the grace period ends; telling the client to close it lets the drain finish.
 */
function endConnectionsWhileDraining(app: FastifyInstance): void {
  let draining = false;
  app.addHook('preClose', async () => {
    draining = true;
  });
  app.addHook('onSend', async (_request, reply) => {
    if (draining) reply.header('connection', 'close');
  });
}

export interface RunningGateway {
  url: string;
  port: number;
  /** The admin HTTP port (/metrics, /healthz). */
  adminPort: number;
  stop(): Promise<void>;
}

/**
 * Starts the gateway with real clients. `stop` closes the HTTP server, letting requests in
 * flight finish (up to SHUTDOWN_GRACE_MS, then cutting the connections), and only then
 * closes the gRPC channels those requests use.
 */
export async function startGateway(config: GatewayConfig, options: { logger?: Logger } = {}): Promise<RunningGateway> {
  const logger = options.logger ?? createLogger('api-gateway', config.logLevel);
  const registry = createMetricsRegistry('api-gateway');
  const pool = createClientPool({ defaultDeadlineMs: config.grpcDeadlineMs, registry });
  let app: FastifyInstance;
  let admin: Awaited<ReturnType<typeof startAdminServer>>;
  // Ended sessions, so that their still-unexpired access tokens are refused here too.
  const revoked = createRemoteRevokedSessions(pool, config.userServiceAddr, logger);
  let polling: Stoppable | undefined;
  try {
    const clients = createGatewayClients(pool, config);
    const verifier = createRemoteJwksVerifier(pool, config.userServiceAddr, config.tokens, revoked);
    // Before listening: the first poll learns the revocations made before this gateway started.
    polling = revoked.start();
    app = await buildApp(config, { clients, verifier, logger, registry });
    await app.listen({ host: config.host, port: config.port });
    admin = await startAdminServer({ host: config.adminHost, port: config.adminPort, registry, logger }).catch(
      async (error) => {
        await app.close();
        throw error;
      },
    );
  } catch (error) {
    await polling?.stop();
    pool.close();
    throw error;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;

  let stopping: Promise<void> | undefined;
  const stop = async () => {
    admin.draining();
    let timer: NodeJS.Timeout | undefined;
    const closed = app.close();
    const graceOver = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), config.shutdownGraceMs);
    });
    if ((await Promise.race([closed, graceOver])) === 'timeout') {
      logger.warn({ graceMs: config.shutdownGraceMs }, 'requests still running after the grace period; cutting them');
      app.server.closeAllConnections();
      await closed;
    }
    clearTimeout(timer);
    await polling?.stop();
    pool.close();
    await admin.close();
    logger.info('stopped');
  };
  return {
    url: `http://${urlHost(config.host)}:${port}`,
    port,
    adminPort: admin.port,
    stop: () => {
      stopping ??= stop();
      return stopping;
    },
  };
}

// A wildcard bind address is not somewhere to send requests to.
function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}
