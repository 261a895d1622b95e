import { resolve } from 'node:path';

/** The repository's root directory: the deploy checks run tools and read files from there. */
export const repoRoot = resolve(import.meta.dirname, '..', '..', '..');
