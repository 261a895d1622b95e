/**
 * As root, the embedded PostgreSQL runs as the `postgres` user, which must be able to pass
 * through every folder above its data directory. `mktemp -d` (0700) and home folders
 * (often 0700 or 0750) do not let it. We add search permission (x, never r: the folder's
 * listing stays private) on the ancestors the invoking user owns, and name the ones it
 * does not own, with what to change, instead of letting initdb fail with a bare
 * "Permission denied".
 */
import { constants } from 'node:fs';
import { chmod, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';

interface Ids {
  uid: number;
  gid: number;
}

/** Whether a user with these ids may search (traverse) a folder of this owner and mode. */
function canSearch(info: { uid: number; gid: number; mode: number }, ids: Ids): boolean {
  if (info.uid === ids.uid) return (info.mode & constants.S_IXUSR) !== 0;
  if (info.gid === ids.gid) return (info.mode & constants.S_IXGRP) !== 0;
  return (info.mode & constants.S_IXOTH) !== 0;
}

export async function letServerReach(dir: string, server: Ids, log: (line: string) => void): Promise<void> {
  const self = process.getuid?.() ?? 0;
  const blocked: string[] = [];
  for (let folder = dirname(resolve(dir)); ; folder = dirname(folder)) {
    const info = await stat(folder);
    if (!canSearch(info, server)) {
      if (info.uid === self) {
        await chmod(folder, (info.mode & 0o7777) | constants.S_IXOTH);
        log(`allowed other users to pass through ${folder} (chmod o+x), so that PostgreSQL can reach its data`);
      } else {
        blocked.push(folder);
      }
    }
    if (dirname(folder) === folder) break;
  }
  if (blocked.length > 0) {
    throw new Error(
      `PostgreSQL runs as the postgres user (uid ${server.uid}) and cannot pass through ${blocked.join(', ')}, ` +
        `which ${blocked.length > 1 ? 'are' : 'is'} not yours to change: run \`chmod o+x ${blocked.join(' ')}\` ` +
        'as its owner, or choose a data directory elsewhere (WREN_DATA_DIR)',
    );
  }
}
