/**
 * How many notification streams each user holds open on this gateway process, so that one
 * user cannot tie up connections, gRPC streams and service memory without bound. Counted in
 * memory: the cap is per gateway replica.
 */
export class StreamSlots {
  private readonly held = new Map<string, number>();

  constructor(private readonly perUser: number) {}

  /** A slot for `userId`, or undefined when it holds them all; call the release once done. */
  take(userId: string): (() => void) | undefined {
    const count = this.held.get(userId) ?? 0;
    if (count >= this.perUser) return undefined;
    this.held.set(userId, count + 1);
    let released = false;
    return () => {
      // 'close' and a failed start may both end the same stream; it holds one slot.
      if (released) return;
      released = true;
      const left = (this.held.get(userId) ?? 1) - 1;
      if (left === 0) this.held.delete(userId);
      else this.held.set(userId, left);
    };
  }
}
