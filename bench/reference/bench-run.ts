/**
 * The reference server's part of a bench run: copy Wren's seeded data into its database,
 * start it with fresh keys, mint every user a token, and walk its timelines for cursors the
 * way Wren's were walked, so the load generator can send it the same kinds of requests.
 */
import { ApiClient, type Tokens } from '../src/api-client.js';
import { collectCursors } from '../src/cursors.js';
import { databaseUrl, withClient } from '../src/database.js';
import type { WorkloadData } from '../src/workload.js';
import { launchReference, type ReferenceInstance } from './launcher.js';
import { type LoadedReference, loadReference, readWrenRows } from './load.js';
import { generateReferenceKeys, mintTokens, TOKEN_LIFETIME_SECONDS } from './tokens.js';

export interface ReferenceForRun {
  instance: ReferenceInstance;
  data: WorkloadData;
  loaded: LoadedReference;
  stop(): Promise<void>;
}

export async function startReferenceForRun(options: {
  serverUrl: string;
  userCount: number;
  seed: number;
  cursorUsers: number;
  concurrency: number;
  log: (line: string) => void;
}): Promise<ReferenceForRun> {
  const { log } = options;
  const loaded = await loadReference(options.serverUrl, await readWrenRows(options.serverUrl));
  // Both hold the same timelines when the counts agree (Wren's home_feed has no shares here).
  const wrenHomeFeed = await withClient(databaseUrl(options.serverUrl, 'wren_posts'), async (client) => {
    const { rows } = await client.query<{ n: number }>('SELECT count(*)::int AS n FROM home_feed');
    return rows[0]?.n;
  });
  log(`reference: loaded ${JSON.stringify(loaded.counts)} in ${loaded.seconds} s (Wren's home_feed: ${wrenHomeFeed})`);
  const keys = generateReferenceKeys();
  const instance = await launchReference({ databaseUrl: loaded.url, publicKeyPem: keys.publicKeyPem });
  log(`reference: listening at ${instance.origin} (pid ${instance.pid})`);
  const api = new ApiClient(instance.origin, options.concurrency);
  try {
    const accessTokens = mintTokens(keys.privateKey, options.userCount);
    // collectCursors takes Wren's token triples; the reference has no refresh tokens.
    const tokens: Tokens[] = accessTokens.map((accessToken) => ({
      accessToken,
      refreshToken: '',
      expiresIn: TOKEN_LIFETIME_SECONDS,
    }));
    const cursors = await collectCursors(api, tokens, {
      seed: options.seed,
      sampleSize: options.cursorUsers,
      concurrency: options.concurrency,
    });
    log(`reference: walked timelines with ${cursors.requests} requests in ${cursors.seconds} s`);
    const data: WorkloadData = {
      userCount: options.userCount,
      tokens: accessTokens,
      homeCursors: cursors.homeCursors,
      userCursors: cursors.userCursors,
      walked: cursors.walked,
    };
    return { instance, data, loaded, stop: () => instance.stop() };
  } catch (error) {
    await instance.stop();
    throw error;
  } finally {
    api.close();
  }
}
