// A small PromQL reader: which metrics an expression selects. Not a parser; enough for the
// expressions of deploy/monitoring, and checked on its own in monitoring.spec.ts.

// Words that are PromQL syntax, never metric names, when they stand without a `(` after them.
const KEYWORDS = new Set(['and', 'or', 'unless', 'bool', 'offset', 'inf', 'nan', 'by', 'without', 'on', 'ignoring', 'group_left', 'group_right']);

/** The metric (series) names `expr` selects, in order of first use. */
export function metricNamesIn(expr: string): string[] {
  const stripped = expr
    // String literals first: label values and regexes may hold any character.
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, '""')
    // Grafana's variables ($job, ${datasource}, $__rate_interval).
    .replace(/\$\{[^}]*\}|\$\w+/g, ' ')
    // Grafana's label_values(metric, label): the last argument is a label.
    .replace(/label_values\(\s*(?:([^,]*),)?\s*\w+\s*\)/g, (_match, metric: string | undefined) => ` label_values(${metric ?? ''})`)
    // Label matchers, ranges and subqueries, and the label lists of grouping and matching.
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ');
  const names: string[] = [];
  // A number (with an exponent or a duration unit), or an identifier.
  for (const match of stripped.matchAll(/(?:\d*\.)?\d+(?:[eE][+-]?\d+)?[a-zA-Z]*|[a-zA-Z_:][a-zA-Z0-9_:]*/g)) {
    const token = match[0];
    if (/^[\d.]/.test(token) || KEYWORDS.has(token.toLowerCase())) continue;
    const next = stripped.slice((match.index ?? 0) + token.length).trimStart()[0];
    if (next === '(') continue; // a function or an aggregation
    if (!names.includes(token)) names.push(token);
  }
  return names;
}
