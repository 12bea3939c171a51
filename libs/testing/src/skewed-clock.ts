import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Where Debian (and most distributions) put libfaketime. */
const LIBFAKETIME = [
  '/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1',
  '/usr/lib/aarch64-linux-gnu/faketime/libfaketime.so.1',
  '/usr/lib/faketime/libfaketime.so.1',
  '/usr/local/lib/faketime/libfaketime.so.1',
];

/** libfaketime's preload library (`FAKETIME_LIB` overrides); throws, naming the package, when it is not installed. */
export function libfaketime(): string {
  const found = [process.env.FAKETIME_LIB, ...LIBFAKETIME].find((path) => path !== undefined && existsSync(path));
  if (!found) throw new Error('libfaketime is not installed: apt-get install faketime (Debian), or set FAKETIME_LIB to libfaketime.so.1');
  return found;
}

/**
 * The wall clock of the processes started with {@link env}, off from the machine's by what
 * {@link skew} last set: libfaketime, preloaded, reads the offset from a file (again at most a
 * second later when it changes), so a test steps a running process's clock as NTP or an
 * operator would. The monotonic clock, and so Node's timers, are left alone.
 */
export class SkewedClock {
  private constructor(private readonly directory: string) {}

  /** A clock not skewed yet (offset 0). */
  static create(): SkewedClock {
    const clock = new SkewedClock(mkdtempSync(join(tmpdir(), 'wf-clock-')));
    clock.skew(0);
    return clock;
  }

  /** What a process needs in its environment to run on this clock. */
  get env(): Record<string, string> {
    return {
      LD_PRELOAD: libfaketime(),
      FAKETIME_TIMESTAMP_FILE: this.file,
      FAKETIME_CACHE_DURATION: '1',
      FAKETIME_DONT_FAKE_MONOTONIC: '1',
    };
  }

  /** Sets the wall clock `seconds` ahead of the machine's (behind when negative). */
  skew(seconds: number): void {
    writeFileSync(this.file, `${seconds >= 0 ? '+' : '-'}${Math.abs(Math.round(seconds))}\n`);
  }

  remove(): void {
    rmSync(this.directory, { recursive: true, force: true });
  }

  private get file(): string {
    return join(this.directory, 'offset');
  }
}
