/** How a file writes day, month and year in slashed dates; never guessed row by row. */
export const DATE_ORDERS = ['mdy', 'dmy', 'ymd'] as const;
export type DateOrder = (typeof DATE_ORDERS)[number];

const pad = (n: number) => String(n).padStart(2, '0');

function valid(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1 || d > 31) return false;
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/** Year (if written), month and day of a date cell in one of the accepted shapes. */
function dateParts(text: string, order: DateOrder): { y?: number; m: number; d: number } | null {
  const iso = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/.exec(text);
  if (iso) return { y: Number(iso[1]), m: Number(iso[2]), d: Number(iso[3]) };
  const noYear = /^--(\d{1,2})-(\d{1,2})$/.exec(text);
  if (noYear) return { m: Number(noYear[1]), d: Number(noYear[2]) };
  const full = /^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$/.exec(text);
  if (full && order !== 'ymd') {
    const [a, b] = [Number(full[1]), Number(full[2])];
    return order === 'mdy' ? { y: Number(full[3]), m: a, d: b } : { y: Number(full[3]), m: b, d: a };
  }
  const monthDay = /^(\d{1,2})[-/.](\d{1,2})$/.exec(text);
  if (monthDay) {
    const [a, b] = [Number(monthDay[1]), Number(monthDay[2])];
    return order === 'dmy' ? { m: b, d: a } : { m: a, d: b };
  }
  return null;
}

/**
 * A date cell as `YYYY-MM-DD`, or `--MM-DD` for a birthday without a year when `yearless` is
 * allowed. Accepted: ISO with or without zero padding (`1978-3-14`), `--MM-DD`, the file's
 * order with `/`, `-` or `.` (`3/14/1978` for mdy), and month and day alone (`5-17`, `5/17`).
 * A time after the date (exports often add one) is ignored. `noYear` names a placeholder year a
 * system writes when it does not know one (Planning Center's 1885).
 */
export function parseDate(
  cell: string,
  order: DateOrder,
  opts: { yearless?: boolean; noYear?: number } = {},
): string | null {
  const text = cell.trim().replace(/[T ]\d{1,2}:\d{2}(:\d{2})?(\.\d+)?(Z|[+-]\d{2}:?\d{2})?$/i, '');
  const parts = dateParts(text, order);
  if (!parts) return null;
  let { y } = parts;
  const { m, d } = parts;
  if (y !== undefined && y === opts.noYear) y = undefined;
  if (y === undefined) {
    // Checked against a leap year, so 29 February without a year is a birthday.
    if (!opts.yearless || !valid(2000, m, d)) return null;
    return `--${pad(m)}-${pad(d)}`;
  }
  if (y < 1800 || y > 2200 || !valid(y, m, d)) return null;
  return `${y}-${pad(m)}-${pad(d)}`;
}

/** The message for a cell parseDate refused. */
export function dateProblem(cell: string, order: DateOrder, yearless: boolean): string {
  const alone = yearless ? ', or month and day alone' : '';
  if (order === 'ymd')
    return `"${cell}" is not a date (YYYY-MM-DD${alone}; for D/M or M/D dates state dateOrder)`;
  const shape = order === 'mdy' ? 'M/D/YYYY' : 'D/M/YYYY';
  return `"${cell}" is not a date (YYYY-MM-DD or ${shape}${alone})`;
}
