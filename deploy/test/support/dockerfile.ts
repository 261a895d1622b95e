/** Just enough of a Dockerfile parser for the image checks: stages and their instructions. */

export interface Instruction {
  keyword: string;
  args: string;
}

export interface Stage {
  name: string;
  base: string;
  instructions: Instruction[];
}

export function parseDockerfile(text: string): Stage[] {
  const logicalLines: string[] = [];
  let pending = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    if (line.endsWith('\\')) {
      pending += `${line.slice(0, -1)} `;
      continue;
    }
    logicalLines.push(pending + line);
    pending = '';
  }
  const stages: Stage[] = [];
  for (const line of logicalLines) {
    const [keyword = '', ...rest] = line.split(/\s+/);
    const args = rest.join(' ');
    if (keyword.toUpperCase() === 'FROM') {
      const [base = '', , name] = args.split(/\s+/);
      stages.push({ name: name ?? base, base, instructions: [] });
    } else {
      const stage = stages.at(-1);
      if (!stage) throw new Error(`${keyword} before the first FROM`);
      stage.instructions.push({ keyword: keyword.toUpperCase(), args });
    }
  }
  return stages;
}

export const instructions = (stage: Stage, keyword: string) =>
  stage.instructions.filter((i) => i.keyword === keyword).map((i) => i.args);

/** An exec-form argument list (`["node", "main.ts"]`), or undefined for the shell form. */
export function execForm(args: string | undefined): string[] | undefined {
  try {
    const parsed: unknown = JSON.parse(args ?? '');
    return Array.isArray(parsed) && parsed.every((a) => typeof a === 'string') ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** The user the stage's process runs as: its last USER, else the base image's root. */
export function finalUser(stage: Stage): string {
  return instructions(stage, 'USER').at(-1) ?? 'root';
}

export function isRoot(user: string): boolean {
  const name = user.split(':')[0];
  return name === 'root' || name === '0';
}

/** Names set by ENV (`A=b C=d` or the legacy `A b`) and ARG. */
export function settingNames(stage: Stage): string[] {
  const env = instructions(stage, 'ENV').flatMap((args) =>
    args.includes('=') ? [...args.matchAll(/([\w.-]+)=/g)].map((m) => m[1] ?? '') : [args.split(/\s+/)[0] ?? ''],
  );
  const arg = instructions(stage, 'ARG').map((args) => args.split('=')[0] ?? '');
  return [...env, ...arg];
}

const SECRET_LIKE = /SECRET|PASSWORD|PASSWD|PRIVATE|TOKEN|CREDENTIAL|DATABASE_URL|(^|_)KEYS?($|_)/i;

/** ENV and ARG values end up in the image's history and config: none may look like a secret. */
export function secretLikeSettings(stages: Stage[]): string[] {
  return stages.flatMap((stage) => settingNames(stage).filter((name) => SECRET_LIKE.test(name)));
}
