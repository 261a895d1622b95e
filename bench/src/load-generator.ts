/**
 * The load generator's process (forked by load-generator-client.ts): it runs the open-loop
 * steps, so that its CPU and memory are measured apart from the bench's own and from Wren's.
 * It talks to its parent over the IPC channel only.
 */
import type http from 'node:http';
import { httpRequest, keepAliveAgent } from './http-request.js';
import { type OpenLoopConfig, type Outcome, runOpenLoop } from './open-loop.js';
import { Prng } from './prng.js';
import { buildRequest, MIXES, pickKind, type WorkloadData, type WorkloadName } from './workload.js';

export interface StepOrder {
  type: 'step';
  id: number;
  workload: WorkloadName;
  /** Names the request streams: the same seed and label give the same requests. */
  label: string;
  seed: number;
  config: OpenLoopConfig;
}

export type ParentMessage = { type: 'init'; origin: string; data: WorkloadData } | StepOrder | { type: 'exit' };

export type ChildMessage =
  | { type: 'ready' }
  | { type: 'window-start'; id: number }
  | { type: 'window-end'; id: number }
  | { type: 'result'; id: number; result: Awaited<ReturnType<typeof runOpenLoop>> };

let origin: URL | undefined;
let data: WorkloadData | undefined;
/**
 * Makes this run's idempotency keys its own. The requests repeat from run to run (same seed
 * and label), and a run on a reused data directory would otherwise send the keys of an
 * earlier run: Wren would answer its composes from the stored responses (creating nothing)
 * while the reference, which ignores keys, did the work.
 */
const RUN_KEY = `${Date.now().toString(36)}${process.pid.toString(36)}`;

const tell = (message: ChildMessage) => process.send?.(message);

async function runStep(order: StepOrder): Promise<void> {
  if (!origin || !data) throw new Error('step before init');
  const target = origin;
  const workload = data;
  const mix = MIXES[order.workload];
  // One stream per request index: request i is the same whatever happened to the others.
  const streamOf = (index: number) => new Prng(order.seed, `${order.label}/${index}`);
  const agent: http.Agent = keepAliveAgent(order.config.maxInFlight);
  const send = async (index: number, budgetMs: number): Promise<Outcome> => {
    const prng = streamOf(index);
    const spec = buildRequest(prng, pickKind(prng, mix), workload, `${RUN_KEY}-${order.label}-${index}`);
    const result = await httpRequest(agent, target, spec, budgetMs);
    if (result.kind !== 'answer') return result;
    return result.status >= 200 && result.status < 300 ? { kind: 'ok' } : { kind: 'http', status: result.status };
  };
  const result = await runOpenLoop(order.config, send, {
    onWindowStart: () => tell({ type: 'window-start', id: order.id }),
    onWindowEnd: () => tell({ type: 'window-end', id: order.id }),
    kindOf: (index) => pickKind(streamOf(index), mix),
  });
  agent.destroy();
  tell({ type: 'result', id: order.id, result });
}

process.on('message', (message: ParentMessage) => {
  if (message.type === 'init') {
    origin = new URL(message.origin);
    data = message.data;
    tell({ type: 'ready' });
  } else if (message.type === 'step') {
    runStep(message).catch((error: Error) => {
      console.error(`[load-generator] ${error.stack ?? error.message}`);
      process.exit(1);
    });
  } else if (message.type === 'exit') {
    process.exit(0);
  }
});
