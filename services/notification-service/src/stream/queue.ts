/**
 * What one open stream waits on: ids announced for its recipient, a failure of the shared
 * LISTEN connection, the heartbeat interval running out, or the call ending.
 */
export type Next<T> = { kind: 'item'; value: T } | { kind: 'idle' } | { kind: 'stopped' };

export class StreamQueue<T> {
  private readonly items: T[] = [];
  private failure: Error | undefined;
  private wake: (() => void) | undefined;

  /**
   * @param limit ids held for a consumer that does not keep up; past it the stream fails,
   *   so that a stuck client costs bounded memory and reconnects with its resume point.
   */
  constructor(
    private readonly limit: number,
    private readonly overflow: () => Error,
  ) {}

  push(value: T): void {
    if (this.items.length >= this.limit) this.fail(this.overflow());
    else this.items.push(value);
    this.wake?.();
  }

  fail(error: Error): void {
    this.failure ??= error;
    this.wake?.();
  }

  /** The next id, or `idle` after `idleMs` without one, or `stopped` once `signal` aborts. */
  async next(idleMs: number, signal: AbortSignal): Promise<Next<T>> {
    if (this.failure) throw this.failure;
    if (this.items.length > 0) return { kind: 'item', value: this.items.shift() as T };
    if (signal.aborted) return { kind: 'stopped' };
    let timer: NodeJS.Timeout | undefined;
    let onAbort: (() => void) | undefined;
    const outcome = await new Promise<'woken' | 'idle' | 'stopped'>((resolve) => {
      timer = setTimeout(() => resolve('idle'), idleMs);
      onAbort = () => resolve('stopped');
      signal.addEventListener('abort', onAbort, { once: true });
      this.wake = () => resolve('woken');
    });
    clearTimeout(timer);
    if (onAbort) signal.removeEventListener('abort', onAbort);
    this.wake = undefined;
    if (outcome === 'woken') return this.next(idleMs, signal);
    return { kind: outcome };
  }
}
