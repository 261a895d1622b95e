/** Entry of `npm run bench` (node --import tsx bench/src/main.ts): see docs/performance.md. */
import { parseOptions, USAGE } from './options.js';
import { runBench } from './run-bench.js';

try {
  const options = parseOptions(process.argv.slice(2));
  if (options === 'help') {
    console.log(USAGE);
  } else {
    const started = performance.now();
    await runBench(options);
    console.log(`[bench] done in ${Math.round((performance.now() - started) / 1000)} s`);
  }
} catch (error) {
  console.error(`[bench] ${(error as Error).stack ?? error}`);
  process.exitCode = 1;
}
