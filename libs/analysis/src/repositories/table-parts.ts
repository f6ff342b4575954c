/**
 * Consecutive page ranges a read of every row is split into, each its own statement on
 * its own connection: PostgreSQL runs a statement on one core, so two statements keep both
 * cores of a small server busy.
 */
export const ANOMALY_SCAN_PARTS = 2;
/** Pages (8 kB) a part has at least: a small table is tested in one statement. */
const MIN_PART_PAGES = 1024;

/** A part of a table: consecutive pages, as TID bounds (`to` open; null: to the end). */
export interface TablePart {
  from: string;
  to: string | null;
}

/** Consecutive page ranges covering a table of `pages` pages, as TID bounds (`to` open). */
export function partsOf(
  pages: number,
  parts = ANOMALY_SCAN_PARTS,
  minPartPages = MIN_PART_PAGES,
): Array<{ from: string; to: string | null }> {
  const whole = Number.isFinite(pages) ? Math.floor(pages / minPartPages) : 1;
  const count = Math.max(1, Math.min(parts, whole));
  const page = (k: number) => `(${Math.floor((pages * k) / count)},0)`;
  return Array.from({ length: count }, (_, k) => ({
    from: k === 0 ? '(0,0)' : page(k),
    // The last part is open-ended: it takes whatever is stored past the size read.
    to: k === count - 1 ? null : page(k + 1),
  }));
}

/** `ctid` bounds of a part, with its parameters numbered from `first`. */
export function partRange(part: TablePart, first: number): { sql: string; values: string[] } {
  return part.to === null
    ? { sql: `ctid >= $${first}::tid`, values: [part.from] }
    : {
        sql: `ctid >= $${first}::tid AND ctid < $${first + 1}::tid`,
        values: [part.from, part.to],
      };
}
