/**
 * Contract checks run by `npm test`: buf lint (STANDARD), no breaking change against main,
 * and the committed generated code is exactly what `buf generate` produces now.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const buf = join(root, 'node_modules', '.bin', 'buf');
const committed = join(root, 'packages', 'contracts', 'src', 'gen');

function run(args: string[]): void {
  try {
    execFileSync(buf, args, { cwd: root, stdio: 'inherit' });
  } catch {
    console.error(`buf ${args[0]} failed (see above)`);
    process.exit(1);
  }
}

function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((entry) => statSync(join(dir, entry)).isFile())
    .sort();
}

function hasMainBranch(): boolean {
  try {
    execFileSync('git', ['rev-parse', '--verify', '--quiet', 'refs/heads/main'], { cwd: root, stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

run(['lint']);
console.log('buf lint: ok');

if (hasMainBranch()) {
  run(['breaking', '--against', '.git#branch=main']);
  console.log('buf breaking (against main): ok');
}

const scratch = mkdtempSync(join(tmpdir(), 'wren-proto-'));
try {
  run(['generate', '--output', scratch]);
  const fresh = join(scratch, 'packages', 'contracts', 'src', 'gen');
  const before = listFiles(committed);
  const after = listFiles(fresh);
  const problems = [
    ...after.filter((file) => !before.includes(file)).map((file) => `missing from the commit: ${file}`),
    ...before.filter((file) => !after.includes(file)).map((file) => `no longer generated: ${file}`),
    ...after
      .filter((file) => before.includes(file))
      .filter((file) => !readFileSync(join(fresh, file)).equals(readFileSync(join(committed, file))))
      .map((file) => `differs from buf generate: ${file}`),
  ];
  if (problems.length > 0) {
    console.error(`Generated contracts are stale (run \`npm run proto:gen\` and commit):`);
    for (const problem of problems) console.error(`  - ${problem}`);
    process.exit(1);
  }
  console.log(`generated code: ${after.length} files, up to date`);
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
