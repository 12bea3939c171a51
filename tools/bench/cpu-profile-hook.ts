// Preloaded into the intake the benchmark spawns (`node -r`), only with --cpu-prof. The
// benchmark sends 'cpu-profile:start' and 'cpu-profile:stop' over the IPC channel, so the
// profile covers exactly the measured window, not start-up and warm-up as `node
// --cpu-prof` would. (Signals are no use here: Nest's shutdown hooks claim SIGUSR2.)
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';

const session = new Session();
session.connect();

function post(method: string, params: object = {}): Promise<unknown> {
  return new Promise((resolve, reject) => {
    session.post(method, params, (error, result) => (error ? reject(error) : resolve(result)));
  });
}

async function start(): Promise<void> {
  await post('Profiler.enable');
  await post('Profiler.start');
}

async function stop(file: string): Promise<void> {
  const { profile } = (await post('Profiler.stop')) as { profile: unknown };
  writeFileSync(file, JSON.stringify(profile));
}

process.on('message', (message: unknown) => {
  const command = message as { type?: string; file?: string };
  const done = (error?: unknown) => process.send?.({ type: `${command.type}:done`, error: error === undefined ? undefined : String(error) });
  if (command.type === 'cpu-profile:start') start().then(() => done(), done);
  if (command.type === 'cpu-profile:stop' && command.file) stop(command.file).then(() => done(), done);
});
// The IPC channel must not keep intake alive once Nest has shut down.
process.channel?.unref();
