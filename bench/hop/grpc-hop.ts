/**
 * What one gRPC hop costs by itself: CPU per unary call (client and server in this one
 * process, over loopback TCP), with nice-grpc and grpc-js bare and with the platform's
 * server and client middleware. The gateway → service hop is part of every Wren request
 * and of none of the reference server's, so this is the floor the architecture adds.
 *
 *   node --import tsx bench/hop/grpc-hop.ts [calls] [concurrency]
 *
 * The call is grpc.health.v1 Check (a tiny message, no database): it measures the
 * transport and the middleware, nothing else. Configurations alternate over several rounds,
 * and the median of each is printed: a shared machine's noise is larger than the effects.
 */
import {
  createClientPool,
  createGrpcServer,
  createLogger,
  createMetricsRegistry,
  InvalidTokenError,
} from '@wren/platform';
import { ChannelCredentials, createChannel, createClient, createServer } from 'nice-grpc';
import { Metadata } from 'nice-grpc-common';
import { HealthDefinition, HealthServiceImpl, HealthState } from 'nice-grpc-server-health';

const calls = Number(process.argv[2] ?? 10_000);
const concurrency = Number(process.argv[3] ?? 16);
const ROUNDS = 5;

/** CPU µs per call of `call`, made `calls` times with `concurrency` in flight. */
async function cpuPerCall(call: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < 300; i++) await call();
  const before = process.cpuUsage();
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next++ < calls) await call();
    }),
  );
  const used = process.cpuUsage(before);
  return (used.user + used.system) / calls;
}

const metadata = () => ({ metadata: Metadata({ 'x-request-id': 'hop-bench' }) });

const bareServer = createServer();
bareServer.add(HealthDefinition, HealthServiceImpl(HealthState()));
const barePort = await bareServer.listen('127.0.0.1:0');

const logger = createLogger('grpc-hop', 'warn');
const refuseTokens = {
  verify: async () => {
    throw new InvalidTokenError('the hop bench sends no tokens', 'invalid');
  },
};
const platformServer = createGrpcServer({
  logger,
  auth: { verifier: refuseTokens as never, publicMethods: new Set() },
  registry: createMetricsRegistry('hop-server'),
});
const platformPort = await platformServer.listen('127.0.0.1', 0);

const pool = createClientPool({ defaultDeadlineMs: 5000, registry: createMetricsRegistry('hop-client') });

// Clients are made once per configuration, not per call.
const bare = createClient(
  HealthDefinition,
  createChannel(`127.0.0.1:${barePort}`, ChannelCredentials.createInsecure()),
);
const platform = pool.client(HealthDefinition, `127.0.0.1:${platformPort}`);
const prepared = [
  ['nice-grpc client and server, no middleware', () => bare.check({ service: '' }, metadata())],
  ["Wren's client pool and gRPC server (all middleware)", () => platform.check({ service: '' }, metadata())],
] as const;

const results = new Map<string, number[]>();
for (let round = 0; round < ROUNDS; round++) {
  for (const [label, call] of prepared) results.set(label, [...(results.get(label) ?? []), await cpuPerCall(call)]);
}
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
console.log(`${calls} calls per round, ${concurrency} in flight, ${ROUNDS} rounds; CPU µs per call (client + server):`);
for (const [label, values] of results) {
  console.log(
    `  ${label}: median ${median(values).toFixed(0)} (rounds: ${values.map((v) => v.toFixed(0)).join(', ')})`,
  );
}
pool.close();
await Promise.all([bareServer.shutdown(), platformServer.shutdown(1000)]);
