/** The bench's side of the load-generator process: fork it, hand it the data, run steps. */
import { type ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';
import type { ChildMessage, ParentMessage, StepOrder } from './load-generator.js';
import type { OpenLoopResult } from './open-loop.js';
import type { WorkloadData } from './workload.js';

export interface StepHooks {
  onWindowStart(): void;
  onWindowEnd(): void;
}

export class LoadGeneratorProcess {
  private nextId = 1;

  private constructor(private readonly child: ChildProcess) {}

  static async start(origin: string, data: WorkloadData): Promise<LoadGeneratorProcess> {
    const child = fork(join(import.meta.dirname, 'load-generator.ts'), [], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const generator = new LoadGeneratorProcess(child);
    await generator.exchange({ type: 'init', origin, data }, (message) => message.type === 'ready');
    return generator;
  }

  /** Replaces the users' data (new access tokens). */
  async setData(origin: string, data: WorkloadData): Promise<void> {
    await this.exchange({ type: 'init', origin, data }, (message) => message.type === 'ready');
  }

  get pid(): number {
    return this.child.pid ?? 0;
  }

  async runStep(order: Omit<StepOrder, 'type' | 'id'>, hooks: StepHooks): Promise<OpenLoopResult> {
    const id = this.nextId++;
    let result: OpenLoopResult | undefined;
    await this.exchange({ type: 'step', id, ...order }, (message) => {
      if (message.type === 'window-start' && message.id === id) hooks.onWindowStart();
      if (message.type === 'window-end' && message.id === id) hooks.onWindowEnd();
      if (message.type === 'result' && message.id === id) result = message.result;
      return result !== undefined;
    });
    return result as OpenLoopResult;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.send({ type: 'exit' } satisfies ParentMessage);
    await exited;
  }

  /** Sends `message`, then feeds every answer to `done` until it returns true. */
  private exchange(message: ParentMessage, done: (answer: ChildMessage) => boolean): Promise<void> {
    return new Promise((resolve, reject) => {
      const onMessage = (answer: ChildMessage) => {
        if (!done(answer)) return;
        cleanup();
        resolve();
      };
      const onExit = (code: number | null) => {
        cleanup();
        reject(new Error(`the load generator exited (${code})`));
      };
      const cleanup = () => {
        this.child.off('message', onMessage);
        this.child.off('exit', onExit);
      };
      this.child.on('message', onMessage);
      this.child.on('exit', onExit);
      this.child.send(message);
    });
  }
}
