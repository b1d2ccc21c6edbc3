/**
 * The hadolint rules we hold our Dockerfile to, checked by parsing the text
 * (no Docker engine, no hadolint binary on the build machines). Each rule
 * returns the problems it found, so a test shows every broken rule at once.
 */
export interface Instruction {
  keyword: string;
  args: string;
  line: number;
}

export interface Stage {
  from: string;
  name?: string;
  instructions: Instruction[];
}

/** Instructions with their continuation lines joined; comments and blank lines dropped. */
export function parseDockerfile(text: string): { args: Map<string, string>; stages: Stage[] } {
  const instructions: Instruction[] = [];
  let pending: { text: string; line: number } | undefined;
  text.split('\n').forEach((raw, index) => {
    const line = raw.trimEnd();
    if (!pending && (line.trim() === '' || line.trimStart().startsWith('#'))) return;
    if (pending && line.trimStart().startsWith('#')) return;
    const joined = pending ? `${pending.text} ${line.trim()}` : line.trim();
    const start = pending?.line ?? index + 1;
    if (joined.endsWith('\\')) {
      pending = { text: joined.slice(0, -1).trimEnd(), line: start };
      return;
    }
    pending = undefined;
    const [, keyword, args] = /^(\S+)\s*(.*)$/.exec(joined) ?? [];
    if (keyword !== undefined && args !== undefined) {
      instructions.push({ keyword: keyword.toUpperCase(), args, line: start });
    }
  });

  const args = new Map<string, string>();
  const stages: Stage[] = [];
  for (const instruction of instructions) {
    if (instruction.keyword === 'FROM') {
      const [from = '', as, name] = instruction.args.split(/\s+/);
      stages.push({ from, name: as?.toUpperCase() === 'AS' ? name : undefined, instructions: [] });
    } else if (stages.length === 0 && instruction.keyword === 'ARG') {
      const [key = '', ...value] = instruction.args.split('=');
      args.set(key.trim(), value.join('='));
    } else {
      stages.at(-1)?.instructions.push(instruction);
    }
  }
  return { args, stages };
}

const SECRET_NAME = /(KEY|TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIAL)/i;
const DIGEST = /@sha256:[0-9a-f]{64}$/;

/** FROM names an exact version tag and a digest (or an earlier stage); never :latest or no tag. */
export function unpinnedBases(file: ReturnType<typeof parseDockerfile>): string[] {
  const stageNames = new Set<string>();
  const problems: string[] = [];
  for (const stage of file.stages) {
    const image = stage.from.replace(/^\$\{?(\w+)\}?$/, (_, name: string) => file.args.get(name) ?? '');
    if (!stageNames.has(image)) {
      const tag = /^[^@]+:([^@/]+)(@|$)/.exec(image)?.[1];
      if (!image) problems.push(`${stage.from}: an ARG with no default`);
      else if (!tag || tag === 'latest') problems.push(`${image}: no exact tag`);
      else if (!/\d+\.\d+\.\d+/.test(tag)) problems.push(`${image}: tag ${tag} is not an exact version`);
      else if (!DIGEST.test(image)) problems.push(`${image}: no @sha256 digest`);
    }
    if (stage.name) stageNames.add(stage.name);
  }
  return problems;
}

/** The final stage switches to a user other than root before it runs anything. */
export function rootProblems(file: ReturnType<typeof parseDockerfile>): string[] {
  const final = file.stages.at(-1);
  const user = final?.instructions
    .filter((i) => i.keyword === 'USER')
    .at(-1)
    ?.args.split(':')[0];
  if (!user) return ['the final stage never sets USER, so it runs as root'];
  if (user === 'root' || user === '0') return [`the final stage runs as ${user}`];
  return [];
}

/** No ENV or ARG that carries a credential, and no ADD of a remote URL (unverified downloads). */
export function secretAndAddProblems(file: ReturnType<typeof parseDockerfile>): string[] {
  const problems: string[] = [];
  const all = file.stages.flatMap((s) => s.instructions);
  for (const name of file.args.keys()) if (SECRET_NAME.test(name)) problems.push(`ARG ${name} carries a credential`);
  for (const i of all) {
    if (i.keyword === 'ARG' && SECRET_NAME.test(i.args.split('=')[0] ?? '')) {
      problems.push(`line ${i.line}: ARG ${i.args} carries a credential`);
    }
    if (i.keyword === 'ENV') {
      for (const [, name = ''] of i.args.matchAll(/(?:^|\s)([A-Za-z_][A-Za-z0-9_]*)=/g)) {
        if (SECRET_NAME.test(name)) problems.push(`line ${i.line}: ENV ${name} carries a credential`);
      }
    }
    if (i.keyword === 'ADD' && /https?:\/\//.test(i.args)) problems.push(`line ${i.line}: ADD of a URL`);
  }
  return problems;
}

/** npm in the final stage installs from the lockfile without dev dependencies. */
export function npmProblems(file: ReturnType<typeof parseDockerfile>): string[] {
  const problems: string[] = [];
  const runs = file.stages.flatMap((s) => s.instructions).filter((i) => i.keyword === 'RUN');
  for (const run of runs) {
    if (/\bnpm (install|i)\b/.test(run.args)) problems.push(`line ${run.line}: npm install (use npm ci)`);
  }
  const finalInstalls = (file.stages.at(-1)?.instructions ?? []).filter(
    (i) => i.keyword === 'RUN' && /\bnpm ci\b/.test(i.args),
  );
  if (finalInstalls.length === 0) problems.push('the final stage has no npm ci');
  for (const run of finalInstalls) {
    if (!/--omit=dev\b/.test(run.args)) problems.push(`line ${run.line}: npm ci without --omit=dev`);
  }
  return problems;
}

/** apt-get install -y --no-install-recommends, with the package lists removed in the same layer. */
export function aptProblems(file: ReturnType<typeof parseDockerfile>): string[] {
  const problems: string[] = [];
  for (const run of file.stages.flatMap((s) => s.instructions).filter((i) => i.keyword === 'RUN')) {
    if (!/apt-get\s+(-\S+\s+)*install/.test(run.args)) continue;
    if (!/--no-install-recommends/.test(run.args)) problems.push(`line ${run.line}: no --no-install-recommends`);
    if (!/\s-y\b|--yes\b/.test(run.args)) problems.push(`line ${run.line}: apt-get install without -y`);
    if (!/rm -rf \/var\/lib\/apt\/lists\/\*/.test(run.args)) problems.push(`line ${run.line}: apt lists not removed`);
    if (/apt-get\s+upgrade|dist-upgrade/.test(run.args)) problems.push(`line ${run.line}: apt-get upgrade`);
  }
  return problems;
}

/** A RUN with a pipe fails when any part fails, not only the last (hadolint DL4006). */
export function pipefailProblems(file: ReturnType<typeof parseDockerfile>): string[] {
  const problems: string[] = [];
  for (const stage of file.stages) {
    let pipefail = false;
    for (const i of stage.instructions) {
      if (i.keyword === 'SHELL') pipefail = /pipefail/.test(i.args);
      if (i.keyword === 'RUN' && /[^|]\|[^|]/.test(i.args) && !pipefail && !/set -o pipefail/.test(i.args)) {
        problems.push(`line ${i.line}: a pipe without pipefail`);
      }
    }
  }
  return problems;
}

/** Every rule at once. */
export function dockerfileProblems(text: string): string[] {
  const file = parseDockerfile(text);
  const final = file.stages.at(-1)?.instructions ?? [];
  const problems = [
    ...unpinnedBases(file),
    ...rootProblems(file),
    ...secretAndAddProblems(file),
    ...npmProblems(file),
    ...aptProblems(file),
    ...pipefailProblems(file),
  ];
  if (!final.some((i) => i.keyword === 'HEALTHCHECK')) problems.push('the final stage has no HEALTHCHECK');
  const cmd = final.find((i) => i.keyword === 'CMD' || i.keyword === 'ENTRYPOINT');
  if (!cmd) problems.push('the final stage has no CMD');
  else if (!cmd.args.trim().startsWith('[')) problems.push(`line ${cmd.line}: CMD in shell form (signals miss node)`);
  return problems;
}
