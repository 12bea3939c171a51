// `npm run build [-- <outDir>]`: compiles apps, libs and the operator tools (outbox replay,
// audit verify, token; see tsconfig.build.json) to plain CommonJS under dist/ (or <outDir>)
// with tsc, so production runs `node` without swc or any devDependency; and bundles the
// console (Vite) into <outDir>/console, which its server (apps/console/server) serves. The
// `@watchfloor/<lib>` aliases of tsconfig.base.json become tiny packages under
// <outDir>/node_modules, which Node finds by walking up from the compiled apps.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const outDir = resolve(process.argv[2] ?? join(ROOT, 'dist'));

// The output directory is wiped first: refuse anything that holds the sources.
if (ROOT === outDir || ROOT.startsWith(outDir + sep) || ['apps', 'libs', 'tools', 'deploy', 'node_modules'].some((dir) => outDir.startsWith(join(ROOT, dir)))) {
  fail(`refusing to build into ${outDir}: it is or holds the sources`);
}
rmSync(outDir, { recursive: true, force: true });

const tsc = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(ROOT, 'tsconfig.build.json'), '--outDir', outDir], {
  cwd: ROOT,
  stdio: 'inherit',
});
if (tsc.status !== 0) fail('tsc failed');

const vite = spawnSync(
  process.execPath,
  [join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', join(ROOT, 'apps', 'console', 'vite.config.mjs'), '--outDir', join(outDir, 'console'), '--emptyOutDir', '--logLevel', 'warn'],
  { cwd: join(ROOT, 'apps', 'console'), stdio: 'inherit', env: { ...process.env, NO_COLOR: '1' } },
);
if (vite.status !== 0) fail('the console build (vite) failed');

// tsconfig.base.json is plain JSON (no comments), so JSON.parse reads it.
const paths = JSON.parse(readFileSync(join(ROOT, 'tsconfig.base.json'), 'utf8')).compilerOptions.paths;
for (const [alias, [source]] of Object.entries(paths)) {
  const compiled = join(outDir, source.replace(/\.ts$/, '.js'));
  // Libraries the build leaves out (testing) get no stub: requiring them must fail loudly.
  if (!existsSync(compiled)) continue;
  const packageDir = join(outDir, 'node_modules', ...alias.split('/'));
  mkdirSync(packageDir, { recursive: true });
  const main = relative(packageDir, compiled).split(sep).join('/');
  writeFileSync(join(packageDir, 'package.json'), `${JSON.stringify({ name: alias, private: true, main }, null, 2)}\n`);
}

copyFileSync(join(ROOT, 'tools', 'build', 'launcher.cjs'), join(outDir, 'main.js'));
process.stdout.write(`built into ${relative(process.cwd(), outDir) || '.'}: node ${relative(process.cwd(), join(outDir, 'main.js'))} <service | command>\n`);

function fail(message) {
  process.stderr.write(`build: ${message}\n`);
  process.exit(1);
}
