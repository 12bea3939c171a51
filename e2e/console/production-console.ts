import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expectEventually } from '@watchfloor/testing';

const ROOT = join(__dirname, '..', '..');

/** The console as production runs it: the `vite build` output served by apps/console/server. */
export interface ProductionConsole {
  url: string;
  output(): string;
  stop(): Promise<void>;
}

/** `vite build` of the console into a temporary folder (what `npm run build` puts in dist/console). */
export async function buildConsole(): Promise<string> {
  const outDir = mkdtempSync(join(tmpdir(), 'wf-console-dist-'));
  const child = spawn(
    process.execPath,
    [join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', join(ROOT, 'apps', 'console', 'vite.config.mjs'), '--outDir', outDir, '--emptyOutDir', '--logLevel', 'warn'],
    { cwd: join(ROOT, 'apps', 'console'), env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  for (const stream of [child.stdout, child.stderr]) stream?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) {
    rmSync(outDir, { recursive: true, force: true });
    throw new Error(`vite build failed:\n${output}`);
  }
  return outDir;
}

/** Starts the console's production server on `port` with `env` (CONSOLE_*), serving `distDir`, until it answers /health. */
export async function startProductionConsole(port: number, distDir: string, env: Record<string, string>): Promise<ProductionConsole> {
  let output = '';
  const child = spawn(process.execPath, ['-r', '@swc-node/register', join('apps', 'console', 'server', 'main.ts')], {
    cwd: ROOT,
    env: { ...process.env, SWC_NODE_PROJECT: join(ROOT, 'tsconfig.json'), ...env, PORT: String(port), CONSOLE_DIST_DIR: distDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(distDir, { recursive: true, force: true });
  };
  try {
    await expectEventually(async () => {
      if (child.exitCode !== null) throw new Error(`the console server exited: ${output}`);
      expect((await fetch(`${url}/health`)).status).toBe(200);
    }, { timeoutMs: 30_000, intervalMs: 100 });
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, output: () => output, stop };
}
