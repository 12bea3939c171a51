// Our JSON log lines made readable for a person at a terminal (`npm start`): time, level,
// message, then the fields as key=value. Production keeps the JSON; this is only a view.

/** How {@link readableLine} renders. */
export interface ReadableLineOptions {
  /** ANSI colours for the level (a terminal); default none. */
  color?: boolean;
}

const LEVEL_COLORS: Record<string, string> = { warn: '\x1b[33m', error: '\x1b[31m', fatal: '\x1b[41;97m', debug: '\x1b[90m', trace: '\x1b[90m' };
const RESET = '\x1b[0m';
// Fields every line carries or that the prefix already shows.
const OMITTED = new Set(['level', 'time', 'msg', 'pid', 'hostname', 'service', 'name']);

/**
 * `{"level":"info","time":"2026-11-03T12:00:01.250Z","service":"triage","msg":"event published","subject":"incident.triaged.ga"}`
 * becomes `12:00:01.250 INFO  event published subject=incident.triaged.ga` (time in UTC, as
 * logged). A line that is not one of ours is returned as it is.
 */
export function readableLine(line: string, options: ReadableLineOptions = {}): string {
  const entry = parseEntry(line);
  if (!entry) return line;
  const level = typeof entry['level'] === 'string' ? entry['level'] : 'info';
  const time = typeof entry['time'] === 'string' ? entry['time'].slice(11, 23) : '';
  const label = level.toUpperCase().padEnd(5);
  const fields = Object.entries(entry)
    .filter(([key, value]) => !OMITTED.has(key) && value !== undefined)
    .map(([key, value]) => `${key}=${fieldValue(value)}`);
  const text = [time, options.color && LEVEL_COLORS[level] ? `${LEVEL_COLORS[level]}${label}${RESET}` : label, String(entry['msg'] ?? ''), ...fields];
  return text.filter((part) => part !== '').join(' ');
}

function parseEntry(line: string): Record<string, unknown> | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    const parsed: unknown = JSON.parse(line);
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) && 'msg' in parsed ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function fieldValue(value: unknown): string {
  if (typeof value === 'string') return /^[^\s"=]+$/.test(value) ? value : JSON.stringify(value);
  if (value !== null && typeof value === 'object' && 'message' in value && typeof value.message === 'string') return JSON.stringify(value.message);
  return JSON.stringify(value);
}
