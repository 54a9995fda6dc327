import { AppError, type FieldError } from '../../errors/app-error.js';
import type { TableShape } from '../../infra/db/schema-introspection.js';
import { EXPORT_FORMAT, EXPORT_TABLES } from './church-export.js';

export type ExportRow = Record<string, unknown>;

/** An export file that passed every check: its rows per table, as exported. */
export interface ParsedExport {
  formatVersion: number;
  tables: Map<string, ExportRow[]>;
}

const FORMAT_RE = /^steeple-export-(\d+)$/;
const CURRENT_VERSION = Number(FORMAT_RE.exec(EXPORT_FORMAT)![1]);
// Enough to show what is wrong without flooding the operator's terminal.
const MAX_ERRORS = 20;

const refuse = (detail: string, errors?: FieldError[]) =>
  new AppError('UNPROCESSABLE', detail, errors?.length ? { errors: errors.slice(0, MAX_ERRORS) } : {});

/** Columns an export leaves out and a restore derives (`*_key` search copies). */
export const isDerivedColumn = (column: string) => column.endsWith('_key');

/**
 * Parses and checks an export before anything is created: JSON that is complete, a format this
 * release reads (never a newer one), only known tables, and rows that fit the tenant schema
 * (`shapes`, read from a database built by this release's migrations): known columns, values of
 * the column's type, required values present, unique primary keys, exactly one church row.
 */
export function parseExport(text: string, shapes: TableShape[]): ParsedExport {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw refuse('The file is not a complete export: it is truncated or not JSON.');
  }
  const data = (doc as { data?: unknown })?.data;
  if (!isObject(data)) throw refuse('The file is not a Steeple export (no "data" object).');
  const format = FORMAT_RE.exec(String(data.format ?? ''));
  if (!format) throw refuse(`The file is not a Steeple export (format ${JSON.stringify(data.format)}).`);
  const version = Number(format[1]);
  if (version > CURRENT_VERSION)
    throw refuse(
      `The export has format version ${version}, newer than this release reads (${CURRENT_VERSION}): restore it with a newer Steeple.`,
    );
  if (!isObject(data.tables)) throw refuse('The export has no "tables" object.');

  const known = new Map(EXPORT_TABLES.map((t) => [t.table, t]));
  const byName = new Map(shapes.map((s) => [s.name, s]));
  const errors: FieldError[] = [];
  const tables = new Map<string, ExportRow[]>();
  for (const [name, rows] of Object.entries(data.tables)) {
    const shape = byName.get(name);
    if (!known.has(name) || !shape) {
      errors.push({ path: `/tables/${name}`, message: 'is not a table of a church export' });
      continue;
    }
    if (!Array.isArray(rows)) {
      errors.push({ path: `/tables/${name}`, message: 'is not a list of rows' });
      continue;
    }
    checkRows(name, rows, shape, known.get(name)!.omit ?? [], errors);
    tables.set(name, rows as ExportRow[]);
  }
  const church = tables.get('church') ?? [];
  if (church.length !== 1) errors.push({ path: '/tables/church', message: 'must hold exactly one row' });
  if (errors.length) throw refuse('The export does not fit this release’s church schema.', errors);
  return { formatVersion: version, tables };
}

function checkRows(
  name: string,
  rows: unknown[],
  shape: TableShape,
  omitted: readonly string[],
  errors: FieldError[],
): void {
  const columns = new Map(shape.columns.map((c) => [c.name, c]));
  const keys = new Set<string>();
  rows.forEach((row, i) => {
    const at = `/tables/${name}/${i}`;
    if (!isObject(row)) {
      errors.push({ path: at, message: 'is not an object' });
      return;
    }
    for (const [col, value] of Object.entries(row)) {
      const c = columns.get(col);
      if (!c || isDerivedColumn(col))
        errors.push({ path: `${at}/${col}`, message: 'is not a column of the table' });
      else if (value !== null && !fitsType(c.type, value))
        errors.push({ path: `${at}/${col}`, message: `is not a ${c.type} value` });
    }
    for (const c of shape.columns) {
      // Derived on restore, or left out of exports by design (filled in by restoreChurch).
      if (!c.notNull || c.hasDefault || isDerivedColumn(c.name) || omitted.includes(c.name)) continue;
      if (row[c.name] == null) errors.push({ path: `${at}/${c.name}`, message: 'is required' });
    }
    const key = JSON.stringify(shape.primaryKey.map((k) => row[k]));
    if (keys.has(key)) errors.push({ path: at, message: 'repeats the primary key of an earlier row' });
    keys.add(key);
  });
}

function fitsType(type: string, value: unknown): boolean {
  if (type === 'integer' || type === 'bigint') return Number.isSafeInteger(value);
  if (type === 'text') return typeof value === 'string';
  return typeof value === 'string' || typeof value === 'number';
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
