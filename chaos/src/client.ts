/**
 * The chaos run's HTTP client: what a careful app does. Every attempt is recorded (the
 * report counts what users saw during each fault); a write that failed for a passing
 * reason is sent again, with the same Idempotency-Key when it creates something, until it
 * is acknowledged or the client gives up.
 */
export interface Attempt {
  at: number;
  op: string;
  /** HTTP status, or what went wrong before one arrived. */
  status: number | 'network' | 'timeout';
  ok: boolean;
}

export interface CallSpec {
  method: string;
  path: string;
  token?: string;
  json?: unknown;
  /** Set on creating writes: retries reuse it, so a lost answer never creates twice. */
  idempotencyKey?: string;
}

const REQUEST_TIMEOUT_MS = 10_000;
/** How long a write keeps being retried: longer than any fault in the schedule lasts. */
const GIVE_UP_AFTER_MS = 150_000;
const RETRIABLE = new Set([408, 425, 429, 500, 502, 503, 504]);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class ChaosClient {
  readonly attempts: Attempt[] = [];
  /** Writes never acknowledged: the refusal that ended them, or the deadline. */
  readonly givenUp: { op: string; status: number | 'deadline' }[] = [];

  constructor(private readonly baseUrl: string) {}

  /** One attempt; the answer's status and JSON body (undefined when none came). */
  async once(op: string, spec: CallSpec): Promise<{ status: number; body: unknown } | undefined> {
    const headers: Record<string, string> = {};
    if (spec.json !== undefined) headers['content-type'] = 'application/json';
    if (spec.token) headers.authorization = `Bearer ${spec.token}`;
    if (spec.idempotencyKey) headers['idempotency-key'] = spec.idempotencyKey;
    const at = Date.now();
    try {
      const response = await fetch(`${this.baseUrl}${spec.path}`, {
        method: spec.method,
        headers,
        body: spec.json === undefined ? undefined : JSON.stringify(spec.json),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      const text = await response.text();
      this.attempts.push({ at, op, status: response.status, ok: response.ok });
      return { status: response.status, body: text === '' ? undefined : safeJson(text) };
    } catch (error) {
      const status = (error as Error).name === 'TimeoutError' ? 'timeout' : 'network';
      this.attempts.push({ at, op, status, ok: false });
      return undefined;
    }
  }

  /**
   * Sends until acknowledged (2xx): the body, or undefined when the client gave up or the
   * answer was a refusal that retrying cannot change.
   */
  async write(op: string, spec: CallSpec): Promise<unknown> {
    const deadline = Date.now() + GIVE_UP_AFTER_MS;
    for (let attempt = 0; Date.now() < deadline; attempt++) {
      const answer = await this.once(op, spec);
      if (answer && answer.status < 300) return answer.body ?? {};
      // 409 to a keyed write: the first attempt with this key is still running (or was cut
      // off and its claim has not expired yet); the key says to try again later.
      const retriable = !answer || RETRIABLE.has(answer.status) || (answer.status === 409 && spec.idempotencyKey);
      if (!retriable) {
        this.givenUp.push({ op, status: answer.status });
        return undefined;
      }
      await sleep(Math.min(2000, 100 * 2 ** attempt) * (0.5 + Math.random() / 2));
    }
    this.givenUp.push({ op, status: 'deadline' });
    return undefined;
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
