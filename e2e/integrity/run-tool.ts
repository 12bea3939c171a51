import { spawn } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

/** How a tool run ended and everything it printed. */
export interface ToolRun {
  code: number | null;
  output: string;
}

/** Runs `tools/<script>` as `npm run` does (through @swc-node/register), to its end. */
export function runTool(script: string, args: string[], env: Record<string, string>): Promise<ToolRun> {
  const child = spawn(process.execPath, ['-r', '@swc-node/register', join('tools', script), ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env, SWC_NODE_PROJECT: join(ROOT, 'tsconfig.json') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, output }));
  });
}
