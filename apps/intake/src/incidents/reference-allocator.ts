import type { DataSource, EntityManager } from 'typeorm';

/**
 * Allocates receipts `WF-<year>-<6 digits>`, unique and increasing per year, from one
 * Postgres sequence per year. A sequence never blocks concurrent transactions (a counter row
 * would serialise every submission); the price is a gap when a submission rolls back.
 */
export class ReferenceAllocator {
  private readonly readyYears = new Set<number>();

  constructor(private readonly dataSource: DataSource) {}

  /**
   * Makes sure the sequence of `year` exists, outside any submission's transaction (two
   * concurrent `CREATE SEQUENCE IF NOT EXISTS` can collide; a retry settles it).
   */
  async prepare(year: number): Promise<void> {
    if (this.readyYears.has(year)) return;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.dataSource.query(`CREATE SEQUENCE IF NOT EXISTS ${sequenceName(year)}`);
        break;
      } catch (error) {
        if (attempt >= 3) throw error;
      }
    }
    this.readyYears.add(year);
  }

  /** The next `count` references of `year`, increasing, in one statement; {@link prepare} must have run for that year. */
  async nextMany(manager: EntityManager, year: number, count: number): Promise<string[]> {
    const rows: Array<{ n: string }> = await manager.query(`SELECT nextval('${sequenceName(year)}') AS n FROM generate_series(1, $1)`, [count]);
    return rows.map((row) => Number(row.n)).sort((a, b) => a - b).map((n) => formatReference(year, n));
  }

  /** The next reference of `year`; {@link prepare} must have run for that year. */
  async next(manager: EntityManager, year: number): Promise<string> {
    const rows: Array<{ n: string }> = await manager.query(`SELECT nextval('${sequenceName(year)}') AS n`);
    return formatReference(year, Number(rows[0]?.n));
  }
}

/** `WF-2026-000042`; past 999,999 in a year the number simply grows a digit. */
export function formatReference(year: number, n: number): string {
  return `WF-${year}-${String(n).padStart(6, '0')}`;
}

function sequenceName(year: number): string {
  if (!Number.isInteger(year) || year < 1970 || year > 9999) throw new RangeError(`Not a plausible year: ${year}`);
  return `reference_seq_${year}`;
}
