// Rebuilds the Dockerfile's stages as directories on this machine (no container engine
// here): COPY from the build context as .dockerignore filters it, `npm ci` as a tree of links
// to exactly the packages package-lock.json says that install keeps, `npm run build` for real,
// and COPY --from between stages. Start the result with `node --preserve-symlinks`, so a
// package outside the production tree cannot be found through the links.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync } from 'node:fs';
import { dirname, join, posix, relative, resolve } from 'node:path';
import { REPO_ROOT } from './compose-file';
import { copies, dockerIgnores, readDockerfile, readDockerignore, stageChain, workdir, type Dockerfile } from './dockerfile';

interface LockEntry {
  dev?: boolean;
  optional?: boolean;
  devOptional?: boolean;
  peer?: boolean;
}

/** What `npm ci` with these flags leaves out (npm's rule for each kind of dependency). */
export function omittedByNpm(entry: LockEntry, omit: Set<string>): boolean {
  return (
    (entry.dev === true && omit.has('dev')) ||
    (entry.optional === true && omit.has('optional')) ||
    (entry.devOptional === true && omit.has('dev') && omit.has('optional')) ||
    (entry.peer === true && omit.has('peer'))
  );
}

export function lockPackages(): Record<string, LockEntry> {
  const lock = JSON.parse(readFileSync(join(REPO_ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockEntry> };
  return Object.fromEntries(Object.entries(lock.packages).filter(([path]) => path !== ''));
}

/** Top-level package names `npm ci` with `omit` installs. */
export function installedPackages(omit: Set<string>): Set<string> {
  return new Set(
    Object.entries(lockPackages())
      .filter(([path, entry]) => !path.slice('node_modules/'.length).includes('/node_modules/') && !omittedByNpm(entry, omit))
      .map(([path]) => path.slice('node_modules/'.length)),
  );
}

/** node_modules as `npm ci <flags>` would make it: one link per kept top-level package. */
function linkNodeModules(target: string, omit: Set<string>): void {
  for (const name of installedPackages(omit)) {
    const link = join(target, ...name.split('/'));
    mkdirSync(dirname(link), { recursive: true });
    symlinkSync(join(REPO_ROOT, 'node_modules', ...name.split('/')), link, 'dir');
  }
}

/** The `--omit=` values of an `npm ci` command. */
export function npmOmits(command: string): Set<string> {
  return new Set([...command.matchAll(/--omit[= ](\w+)/g)].map((match) => match[1]));
}

/** Files of the build context under `source`, as .dockerignore lets them in. */
function contextFiles(source: string, ignore: string[]): string[] {
  const walk = (path: string): string[] => {
    if (dockerIgnores(ignore, path)) return [];
    const absolute = join(REPO_ROOT, path);
    if (!statSync(absolute).isDirectory()) return [path];
    return readdirSync(absolute).flatMap((name) => walk(posix.join(path, name)));
  };
  return walk(posix.normalize(source));
}

export interface ImageFilesystem {
  /** Host directory standing for `/` of the stage. */
  root(stage: string): string;
  /** Host path of a path inside the stage. */
  path(stage: string, containerPath: string): string;
  dockerfile: Dockerfile;
}

/**
 * Builds every stage into `into`. Each RUN is one of what this Dockerfile uses (`npm ci`,
 * `npm run build`, `npm cache clean`, removing files outside /app); anything else throws,
 * so a new step cannot go unchecked.
 */
export function buildImageFilesystem(into: string): ImageFilesystem {
  const dockerfile = readDockerfile();
  const ignore = readDockerignore();
  const rootStage = (name: string) => stageChain(dockerfile, name)[0].name;
  const root = (name: string) => join(into, rootStage(name));
  const path = (name: string, containerPath: string) => join(root(name), posix.resolve(workdir(dockerfile, name), containerPath));

  for (const stage of dockerfile.stages) {
    const parent = dockerfile.stages.find((candidate) => candidate.name === stage.from);
    let dir = parent ? workdir(dockerfile, parent.name) : '/';
    mkdirSync(root(stage.name), { recursive: true });
    for (const { keyword, text } of stage.instructions) {
      const here = join(root(stage.name), dir);
      if (keyword === 'WORKDIR') {
        dir = posix.resolve(dir, text);
        mkdirSync(join(root(stage.name), dir), { recursive: true });
      } else if (keyword === 'COPY') {
        const [copy] = copies({ ...stage, instructions: [{ keyword, text }] });
        const destination = join(root(stage.name), posix.resolve(dir, copy.destination));
        for (const source of copy.sources) {
          if (copy.from) {
            const from = join(root(copy.from), posix.resolve(workdir(dockerfile, copy.from), source));
            if (!existsSync(from)) throw new Error(`COPY --from=${copy.from} ${source}: the stage has no such path`);
            cpSync(from, destination, { recursive: true, verbatimSymlinks: true });
          } else {
            if (!existsSync(join(REPO_ROOT, source))) throw new Error(`COPY ${source}: not in the repository`);
            const files = contextFiles(source, ignore);
            if (files.length === 0) throw new Error(`COPY ${source}: .dockerignore leaves it out of the build context`);
            for (const file of files) {
              const target = copy.sources.length > 1 || copy.destination.endsWith('/') ? join(destination, posix.basename(file)) : join(destination, relative(source, file));
              mkdirSync(dirname(target), { recursive: true });
              cpSync(join(REPO_ROOT, file), target);
            }
          }
        }
      } else if (keyword === 'RUN') {
        for (const command of text.split('&&').map((part) => part.trim())) run(command, here);
      }
    }
  }
  return { root, path, dockerfile };
}

function run(command: string, cwd: string): void {
  if (command.startsWith('npm ci')) {
    linkNodeModules(join(cwd, 'node_modules'), npmOmits(command));
  } else if (command === 'npm run build') {
    const result = spawnSync('npm', ['run', '--silent', 'build'], { cwd, encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`npm run build failed in the build stage:\n${result.stdout}${result.stderr}`);
  } else if (command.startsWith('npm cache clean')) {
    // Nothing to rebuild: the npm cache is not part of what runs.
  } else if (command.startsWith('rm -rf /usr/local/') || command.startsWith('rm -rf /opt/')) {
    // The runtime stage removes npm and yarn from the base image, which this rebuild never had.
    const paths = command.slice('rm -rf '.length).split(/\s+/).map((path) => resolve('/', path));
    if (!paths.every((path) => path.startsWith('/usr/local/') || path.startsWith('/opt/'))) throw new Error(`RUN ${command}: removes more than npm and yarn`);
  } else {
    throw new Error(`RUN ${command}: teach deploy/test/image-filesystem.ts what this step does`);
  }
}
