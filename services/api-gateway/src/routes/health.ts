/**
 * Probes. /healthz: the process answers (liveness; never depends on others, or one slow
 * service would get every gateway restarted). /readyz: every backend answers its
 * grpc.health.v1 check SERVING, so traffic should come here (readiness).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ClientError, Status } from 'nice-grpc-common';
import { Type } from 'typebox';
import type { BackendName, GatewayClients } from '../clients.js';
import { PROBLEM_CONTENT_TYPE, ProblemError, problemFor } from '../errors.js';
import { ProblemSchema } from '../schemas/problem.js';

// Probes run every few seconds; an answer slower than this is as good as none.
const READINESS_TIMEOUT_MS = 1000;

// grpc.health.v1 HealthCheckResponse.ServingStatus, by number.
const SERVING_STATUS = ['UNKNOWN', 'SERVING', 'NOT_SERVING', 'SERVICE_UNKNOWN'];

type Probe = GatewayClients['health'][BackendName];

/** `SERVING`, another serving status, or the gRPC code of the failed check. */
export async function probe(client: Probe, timeoutMs: number): Promise<string> {
  try {
    const { status } = await client.check({ service: '' }, { signal: AbortSignal.timeout(timeoutMs) });
    return SERVING_STATUS[status] ?? 'UNKNOWN';
  } catch (error) {
    if (error instanceof ClientError) return Status[error.code] ?? 'UNKNOWN';
    if (error instanceof Error && error.name === 'AbortError') return 'DEADLINE_EXCEEDED';
    return 'UNKNOWN';
  }
}

const ServiceStatuses = Type.Record(Type.String(), Type.String(), {
  description: 'Each backend: SERVING, or why not (NOT_SERVING, UNAVAILABLE, DEADLINE_EXCEEDED…).',
});

export const healthRoutes: FastifyPluginAsyncTypebox<{ clients: GatewayClients }> = async (app, { clients }) => {
  const probeConfig = { auth: 'none' as const };

  app.get(
    '/healthz',
    {
      config: probeConfig,
      schema: {
        tags: ['operations'],
        summary: 'Liveness',
        response: {
          200: Type.Object({ status: Type.Literal('ok') }, { additionalProperties: false, description: 'Alive.' }),
        },
      },
    },
    async () => ({ status: 'ok' as const }),
  );

  app.get(
    '/readyz',
    {
      config: probeConfig,
      schema: {
        tags: ['operations'],
        summary: 'Readiness: every backend service answers SERVING',
        response: {
          200: Type.Object(
            { status: Type.Literal('ready'), services: ServiceStatuses },
            { additionalProperties: false, description: 'Every backend serves.' },
          ),
          503: {
            description: 'A backend is not serving.',
            content: {
              [PROBLEM_CONTENT_TYPE]: {
                schema: Type.Object({ ...ProblemSchema.properties, services: ServiceStatuses }),
              },
            },
          },
        },
      },
    },
    async (request, reply) => {
      const names = Object.keys(clients.health) as BackendName[];
      const statuses = await Promise.all(names.map((name) => probe(clients.health[name], READINESS_TIMEOUT_MS)));
      const services = Object.fromEntries(names.map((name, i) => [name, statuses[i] ?? 'UNKNOWN']));
      const down = names.filter((name) => services[name] !== 'SERVING');
      if (down.length === 0) return reply.send({ status: 'ready' as const, services });
      const problem = problemFor(new ProblemError('not-ready', `Not serving: ${down.join(', ')}.`), request);
      return reply
        .code(503)
        .type(PROBLEM_CONTENT_TYPE)
        .send({ ...problem, services });
    },
  );
};
