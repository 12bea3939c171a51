// The Dockerfile as stages and instructions, and .dockerignore as Docker applies it, so the
// tests can rebuild the image's file system on this machine without a container engine.
import { readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { REPO_ROOT } from './compose-file';

export interface Instruction {
  keyword: string;
  /** The arguments as written (continuations joined). */
  text: string;
}

export interface Stage {
  name: string;
  /** The image or earlier stage it starts from, build args substituted. */
  from: string;
  instructions: Instruction[];
}

export interface Dockerfile {
  /** ARGs declared before the first FROM, with their defaults. */
  args: Record<string, string>;
  stages: Stage[];
}

export function readDockerfile(file = join(REPO_ROOT, 'Dockerfile')): Dockerfile {
  const logical = readFileSync(file, 'utf8')
    .replace(/\\\n(\s*#.*\n)*/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));
  const args: Record<string, string> = {};
  const stages: Stage[] = [];
  for (const line of logical) {
    const [, keyword, text] = /^(\S+)\s*(.*)$/.exec(line) as RegExpExecArray;
    const upper = keyword.toUpperCase();
    if (upper === 'FROM') {
      const [image, as, name] = text.split(/\s+/);
      const from = image.replace(/\$\{(\w+)\}|\$(\w+)/g, (_m, a?: string, b?: string) => args[(a ?? b) as string] ?? '');
      stages.push({ name: as?.toUpperCase() === 'AS' ? name : String(stages.length), from, instructions: [] });
    } else if (stages.length === 0) {
      if (upper === 'ARG') {
        const [name, value = ''] = text.split('=');
        args[name] = value;
      }
    } else {
      stages[stages.length - 1].instructions.push({ keyword: upper, text });
    }
  }
  return { args, stages };
}

/** The stage and every stage it builds FROM, oldest first. */
export function stageChain(dockerfile: Dockerfile, name: string): Stage[] {
  const stage = dockerfile.stages.find((candidate) => candidate.name === name);
  if (!stage) throw new Error(`no stage ${name}`);
  const parent = dockerfile.stages.find((candidate) => candidate.name === stage.from);
  return parent ? [...stageChain(dockerfile, parent.name), stage] : [stage];
}

/** The WORKDIR in force at the end of a stage (inherited through FROM <stage>). */
export function workdir(dockerfile: Dockerfile, name: string): string {
  let dir = '/';
  for (const stage of stageChain(dockerfile, name)) {
    for (const { keyword, text } of stage.instructions) if (keyword === 'WORKDIR') dir = posix.resolve(dir, text);
  }
  return dir;
}

export interface Copy {
  from?: string;
  sources: string[];
  destination: string;
}

export function copies(stage: Stage): Copy[] {
  return stage.instructions
    .filter(({ keyword }) => keyword === 'COPY')
    .map(({ text }) => {
      const words = text.split(/\s+/);
      const flags = words.filter((word) => word.startsWith('--'));
      const paths = words.filter((word) => !word.startsWith('--'));
      const from = flags.find((flag) => flag.startsWith('--from='))?.slice('--from='.length);
      return { from, sources: paths.slice(0, -1), destination: paths[paths.length - 1] };
    });
}

/** Exec-form JSON of an instruction (ENTRYPOINT/CMD), undefined when absent. */
export function execForm(stage: Stage, keyword: 'ENTRYPOINT' | 'CMD'): string[] | undefined {
  const instruction = [...stage.instructions].reverse().find((candidate) => candidate.keyword === keyword);
  return instruction ? (JSON.parse(instruction.text) as string[]) : undefined;
}

/** `ENV a=b c="d e"` of a stage (a value in double quotes may hold spaces). */
export function envOf(stage: Stage): Record<string, string> {
  const env: Record<string, string> = {};
  for (const { keyword, text } of stage.instructions) {
    if (keyword !== 'ENV') continue;
    for (const [, name, quoted, bare] of text.matchAll(/(\w+)=(?:"([^"]*)"|(\S*))/g)) env[name as string] = quoted ?? bare ?? '';
  }
  return env;
}

/**
 * Whether .dockerignore keeps `path` (relative, with `/`) out of the build context. Docker's
 * rules: patterns in order, the last that matches the path or one of its parents decides, and
 * `!` re-includes; `*` stays within a path segment, `**` crosses them.
 */
export function dockerIgnores(patterns: string[], path: string): boolean {
  let ignored = false;
  for (const raw of patterns) {
    const exception = raw.startsWith('!');
    const pattern = posix.normalize(exception ? raw.slice(1) : raw).replace(/^\/+/, '');
    const regex = new RegExp(`^${toRegex(pattern)}$`);
    const segments = path.split('/');
    const matches = segments.some((_, index) => regex.test(segments.slice(0, index + 1).join('/')));
    if (matches) ignored = !exception;
  }
  return ignored;
}

export function readDockerignore(file = join(REPO_ROOT, '.dockerignore')): string[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));
}

function toRegex(pattern: string): string {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i];
    if (char === '*' && pattern[i + 1] === '*') {
      i++;
      if (pattern[i + 1] === '/') {
        i++;
        out += '(?:.*/)?';
      } else {
        out += '.*';
      }
    } else if (char === '*') out += '[^/]*';
    else if (char === '?') out += '[^/]';
    else out += char.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return out;
}
