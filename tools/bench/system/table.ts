/** A plain-text table: the first column left-aligned, the others right-aligned. */
export function table(headers: readonly string[], rows: ReadonlyArray<readonly string[]>, indent = '  '): string[] {
  const widths = headers.map((header, column) => Math.max(header.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: readonly string[]) =>
    indent +
    cells
      .map((cell, column) => (column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(headers), indent + widths.map((width) => '-'.repeat(width)).join('  '), ...rows.map(line)];
}

/** Milliseconds, with the precision that matters at their size. */
export function ms(value: number): string {
  if (!Number.isFinite(value)) return 'n/a';
  return value < 10 ? value.toFixed(2) : value < 1000 ? value.toFixed(1) : value.toFixed(0);
}

/** A figure per incident. */
export function per(value: number, incidents: number, digits = 2): string {
  return incidents > 0 && Number.isFinite(value) ? (value / incidents).toFixed(digits) : 'n/a';
}
