import { execFile } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { basename, dirname } from 'node:path';
import { promisify } from 'node:util';
import { runClosedLoop, type LoadTarget } from '../load';
import { CpuAccounting } from '../machine';
import { HttpRecorder, type HttpSummary } from './http-recorder';
import { listening } from './system-under-test';

const ALERTMANAGER = 'http://127.0.0.1:19093';
const STOP_WAIT_MS = 10_000;

/** Alertmanager under the same closed loop as Watchfloor. */
export interface PeerResult {
  name: string;
  command: string;
  http: HttpSummary;
  /** Alerts its webhook delivered to the bench's hook by the time it was stopped. */
  notifiedAlerts: number;
  cpuMsPerAccepted: { alertmanager: number; bench: number };
}

/** A running Alertmanager started by ../shared/bench/alertmanager.sh, and the hook it notifies. */
interface RunningPeer {
  pid: number;
  hook: Server;
  alerts: () => number;
}

/**
 * Starts Alertmanager with the tuned profile (one group per alert, group_wait 0), its
 * webhook pointed at a hook of the bench's; drives POST /api/v2/alerts with the same
 * closed-loop generator, connections and duration as Watchfloor's closed loop, bodies
 * shaped as ../shared/bench/accept.mjs makes them (a new alert per request); then stops it.
 * `onStarted` gets the stop function as soon as there is a process to stop.
 */
export async function measureAlertmanager(
  script: string,
  options: { connections: number; durationS: number; warmupS: number },
  log: (line: string) => void,
  onStarted: (stop: () => Promise<void>) => void,
): Promise<PeerResult> {
  if (await listening(19093)) throw new Error('something already listens on 127.0.0.1:19093 (an Alertmanager left over?); the peer phase needs that port');
  const peer = await startPeer(script);
  let stopped: Promise<void> | undefined;
  const stop = () => (stopped ??= stopPeer(peer));
  onStarted(stop);
  try {
    const run = Date.now().toString(36);
    let sequence = 0;
    const target: LoadTarget = {
      url: ALERTMANAGER,
      path: '/api/v2/alerts',
      token: '',
      bodies: [],
      idempotencyKeys: false,
      nextBody: () => {
        const i = sequence++;
        return Buffer.from(JSON.stringify([{ labels: { alertname: 'incident', run, id: `a${i}`, severity: 'high', jurisdiction: 'ga-fulton' }, annotations: { summary: `E-pollbook outage ${i}` }, startsAt: new Date().toISOString() }]));
      },
    };
    if (options.warmupS > 0) {
      log(`alertmanager warm-up ${options.warmupS} s`);
      await runClosedLoop(target, { connections: options.connections, durationS: options.warmupS }, new HttpRecorder(200, false).sink);
    }
    log(`alertmanager closed loop ${options.durationS} s`);
    const recorder = new HttpRecorder(200, false);
    const cpu = new CpuAccounting(() => Promise.resolve(new Map([['alertmanager', [peer.pid]]])));
    await cpu.start();
    const outcome = await runClosedLoop(target, { connections: options.connections, durationS: options.durationS }, recorder.sink);
    const report = await cpu.stop();
    const http = recorder.summary(outcome);
    const perAccepted = (percent: number) => (http.accepted > 0 && report ? (percent / 100) * report.elapsedMs / http.accepted : NaN);
    return {
      name: 'Prometheus Alertmanager (tuned: group_by [...], group_wait 0s)',
      command: `bash ${script} tuned <hook>`,
      http,
      notifiedAlerts: peer.alerts(),
      cpuMsPerAccepted: { alertmanager: perAccepted(report?.groups[0]?.percent ?? NaN), bench: perAccepted(report?.bench ?? NaN) },
    };
  } finally {
    await stop();
  }
}

async function startPeer(script: string): Promise<RunningPeer> {
  let alerts = 0;
  const hook = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      try {
        alerts += ((JSON.parse(Buffer.concat(chunks).toString('utf8')) as { alerts?: unknown[] }).alerts ?? []).length;
      } catch {
        // not a notification
      }
      response.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
  const hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook`;
  const { stdout } = await promisify(execFile)('bash', [script, 'tuned', hookUrl], { timeout: 120_000 });
  const pid = Number(stdout.trim().split('\n').pop());
  if (!Number.isInteger(pid) || pid <= 0) throw new Error(`${script} printed no pid: ${stdout}`);
  if (!(await listening(19093))) throw new Error(`Alertmanager (pid ${pid}) does not listen on 127.0.0.1:19093`);
  return { pid, hook, alerts: () => alerts };
}

/** Kills the pid the script printed, waits for it, removes the script's temporary directory. */
async function stopPeer(peer: RunningPeer): Promise<void> {
  const workDir = configDir(peer.pid);
  try {
    process.kill(peer.pid, 'SIGTERM');
  } catch {
    // already gone
  }
  for (const deadline = Date.now() + STOP_WAIT_MS; alive(peer.pid) && Date.now() < deadline; ) await new Promise((resolve) => setTimeout(resolve, 50));
  if (alive(peer.pid)) process.kill(peer.pid, 'SIGKILL');
  // Only the directory the script made (mktemp -d /tmp/am-peer.XXXX).
  if (workDir && dirname(workDir) === '/tmp' && basename(workDir).startsWith('am-peer.')) rmSync(workDir, { recursive: true, force: true });
  peer.hook.closeAllConnections();
  await new Promise<void>((resolve) => peer.hook.close(() => resolve()));
}

/** The directory of `--config.file=<dir>/am.yml` on the process's command line. */
function configDir(pid: number): string | undefined {
  try {
    const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    const config = argv.find((arg) => arg.startsWith('--config.file='));
    return config ? dirname(config.slice('--config.file='.length)) : undefined;
  } catch {
    return undefined;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    // A zombie (exited, not yet reaped by its parent) still answers signal 0.
    return !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return false;
  }
}
