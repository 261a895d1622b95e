/**
 * For gauges read from the database at scrape time: several gauges collected one after the
 * other in one scrape share one read, and scrapes closer than `ms` reuse it.
 */
export function readAtMostEvery<T>(ms: number, read: () => Promise<T>): () => Promise<T> {
  let last: Promise<T> | undefined;
  let lastAt = 0;
  return () => {
    if (!last || Date.now() - lastAt > ms) {
      lastAt = Date.now();
      last = read();
    }
    return last;
  };
}
