// Preloaded into a service a benchmark spawns (`node -r`), with STATEMENT_COUNT_FILE set:
// counts the statements the process sends to Postgres (every `pg` Client.query, TypeORM's
// included), by the statement's first words, and writes the counts to that file as JSON
// every 200 ms. The bench reads it when the measured window opens and when it closes.
// (pg_stat_statements would need a server restart on a shared Postgres.)
import { renameSync, writeFileSync } from 'node:fs';
import { Client } from 'pg';

const file = process.env['STATEMENT_COUNT_FILE'];
if (file) {
  const counts: Record<string, number> = {};
  let total = 0;
  const original = Client.prototype.query as (...args: unknown[]) => unknown;
  (Client.prototype as unknown as { query: (...args: unknown[]) => unknown }).query = function query(this: Client, ...args: unknown[]) {
    const first = args[0];
    const text = typeof first === 'string' ? first : (first as { text?: string } | undefined)?.text ?? '';
    const key = text.replace(/\s+/g, ' ').trim().slice(0, 70);
    counts[key] = (counts[key] ?? 0) + 1;
    total += 1;
    return original.apply(this, args);
  };
  // Written aside and renamed, so a reader never sees half a file.
  const write = () => {
    writeFileSync(`${file}.tmp`, JSON.stringify({ total, counts, at: Date.now() }));
    renameSync(`${file}.tmp`, file);
  };
  setInterval(write, 200).unref();
  process.on('exit', write);
}
