import type { ColumnUse } from './column-mapping.js';
import type { DateOrder } from './import-dates.js';
import type { FileFormat } from './import-file.js';
import type { ImportOptions } from './import-options.js';

/** One problem with one row: the line in the file, the column (header) and what is wrong. */
export interface RowError {
  row: number;
  column: string | null;
  message: string;
}

/** What happened (or, in a dry run, would happen) to one row. */
export interface RowResult {
  row: number;
  action: 'created' | 'updated' | 'unchanged' | 'skipped';
  /** The Steeple id of the record; null for a record a dry run would create. */
  id: string | null;
  /** How an existing record was found: its external id, email and first name, or name and birth date. */
  matchedBy: 'external-id' | 'email' | 'name' | null;
}

/** Reports list at most this many errors and row results; the counts are always complete. */
export const REPORT_LIST_MAX = 2000;

/** Collects counts, errors and row results with bounded lists. */
export class ReportLog {
  rows = 0;
  created = 0;
  updated = 0;
  unchanged = 0;
  skipped = 0;
  errorCount = 0;
  readonly errors: RowError[] = [];
  readonly results: RowResult[] = [];

  error(e: RowError): void {
    this.errorCount++;
    if (this.errors.length < REPORT_LIST_MAX) this.errors.push(e);
  }

  result(r: RowResult): void {
    if (r.action === 'skipped') this.skipped++;
    else this[r.action]++;
    if (this.results.length < REPORT_LIST_MAX) this.results.push(r);
  }

  summary() {
    return {
      rows: this.rows,
      created: this.created,
      updated: this.updated,
      unchanged: this.unchanged,
      skipped: this.skipped,
      errorCount: this.errorCount,
      errors: this.errors,
      errorsTruncated: this.errorCount > this.errors.length,
      results: this.results,
      resultsTruncated: this.rows > this.results.length,
    };
  }
}

/** How a file was read: its format, layout and column mapping (settled from the header row). */
export interface FileLayout {
  format: FileFormat;
  preset: { name: string };
  source: string;
  dateOrder: DateOrder;
  columns: ColumnUse[];
  ignored: string[];
}

/** The start of every import report (people or giving): the run's options and the file's layout. */
export function reportHead<K extends string>(kind: K, opts: ImportOptions, file: FileLayout) {
  return {
    kind,
    dryRun: opts.dryRun,
    onError: opts.onError,
    format: file.format,
    preset: file.preset.name,
    source: file.source,
    dateOrder: file.dateOrder,
    columns: file.columns,
    ignoredColumns: file.ignored,
  };
}
