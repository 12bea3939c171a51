import { readFileSync } from 'node:fs';
import { expectEventually } from '@watchfloor/testing';

/** What tools/bench/statement-count-hook.ts has written: statements sent, in all and by their first words, and when. */
export interface StatementCounts {
  total: number;
  counts: Record<string, number>;
  /** When the hook wrote it (ms since the epoch). */
  at: number;
}

/** The hook's last counts (none yet: zero). */
export function statementsSoFar(file: string): StatementCounts {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as StatementCounts;
  } catch {
    return { total: 0, counts: {}, at: 0 };
  }
}

/** The first counts the hook writes after `since` (it writes every 200 ms): what a window that closed at `since` sent. */
export function statementsAfter(file: string, since: number): Promise<StatementCounts> {
  return expectEventually(() => {
    const counts = statementsSoFar(file);
    if (counts.at <= since) throw new Error(`no statement counts written after ${new Date(since).toISOString()} in ${file}`);
    return counts;
  }, { timeoutMs: 5_000, intervalMs: 50 });
}
