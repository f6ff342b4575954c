/** Plain-text tables and number formats for the quality benchmark's output. */

/** Prints rows under a header, columns padded; text left-aligned, everything else right. */
export function printTable(
  header: readonly string[],
  rows: ReadonlyArray<readonly string[]>,
): void {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)));
  const numeric = header.map((_, c) =>
    rows.every((r) => /^[-+−]?[\d.,]+ ?%?$|^—$|^[\d.]+\/[\d.]+$/.test(r[c] ?? '—')),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, c) => (numeric[c] ? cell.padStart(widths[c] ?? 0) : cell.padEnd(widths[c] ?? 0)))
      .join('  ')
      .trimEnd();
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of rows) console.log(line(row));
}

/** A share as 0.00, or — when undefined. */
export function ratio(value: number | null | undefined): string {
  return value === null || value === undefined || Number.isNaN(value) ? '—' : value.toFixed(2);
}

/** `PASS` or `FAIL`, for a target printed beside its figure. */
export function verdict(met: boolean): string {
  return met ? 'PASS' : 'FAIL';
}

export function heading(title: string): void {
  console.log(`\n== ${title} ==`);
}
