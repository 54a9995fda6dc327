import { AppError, type FieldError } from '../../errors/app-error.js';
import type { DateOrder } from './import-dates.js';
import { fileError } from './import-file.js';

/** Headers match case- and space-insensitively: `First Name`, `first name` and `firstName` are one. */
export const normHeader = (h: string) => h.toLowerCase().replace(/\s+/g, '');

/** One system's export layout. */
export interface ImportPreset {
  name: string;
  /** Recorded with external ids: a re-import from the same system updates the same rows. */
  source: string;
  dateOrder: DateOrder;
  /** A placeholder year the system writes for an unknown one. */
  noYear?: number;
  /** Normalized headers that together identify this export. Empty for the fallback preset. */
  signature: readonly string[];
  /** Normalized header -> field; null marks a known column Steeple does not keep. */
  columns: Readonly<Record<string, string | null>>;
}

export interface ColumnUse {
  column: string;
  /** The field it fills, or null when it is ignored. */
  field: string | null;
}

/** The preset the header row names, else the fallback (the last of `presets`). */
export function detectPreset<P extends ImportPreset>(header: readonly string[], presets: readonly P[]): P {
  const have = new Set(header.map(normHeader));
  return (
    presets.find((p) => p.signature.length > 0 && p.signature.every((h) => have.has(h))) ?? presets.at(-1)!
  );
}

/** `Header=field` pairs of a request, split at the last `=` (field names never contain one). */
export function parsePairs(pairs: readonly string[] | undefined, param: string) {
  return (pairs ?? []).map((pair, i) => {
    const at = pair.lastIndexOf('=');
    if (at <= 0 || at === pair.length - 1)
      throw new AppError('VALIDATION_FAILED', `${param} entries are "name=value".`, {
        errors: [{ path: `/query/${param}/${i}`, message: 'must be name=value' }],
      });
    return { name: pair.slice(0, at).trim(), value: pair.slice(at + 1).trim(), index: i };
  });
}

/**
 * Which field each column fills: the request's mapping first, then the preset, then a custom
 * field whose key or label equals the header; anything else is ignored and listed.
 * `isField` says whether a mapping target is valid; `repeatable` fields may take several columns.
 */
export function mapColumns(
  header: readonly string[],
  preset: ImportPreset,
  request: ReadonlyArray<{ name: string; value: string; index: number }>,
  opts: {
    isField: (field: string) => boolean;
    repeatable: (field: string) => boolean;
    required: readonly string[];
    customByName: ReadonlyMap<string, string>;
  },
): { columns: ColumnUse[]; ignored: string[] } {
  const normalized = header.map(normHeader);
  const explicit = new Map<string, string>();
  const bad: FieldError[] = [];
  for (const m of request) {
    const h = normHeader(m.name);
    if (!normalized.includes(h))
      bad.push({ path: `/query/map/${m.index}`, message: `the file has no column "${m.name}"` });
    else if (m.value !== 'ignore' && !opts.isField(m.value))
      bad.push({ path: `/query/map/${m.index}`, message: `"${m.value}" is not a field Steeple can import` });
    else explicit.set(h, m.value);
  }
  if (bad.length)
    throw new AppError('VALIDATION_FAILED', 'The column mapping is not valid.', { errors: bad });

  const columns = header.map((column, i): ColumnUse => {
    const h = normalized[i]!;
    const chosen = explicit.get(h);
    if (chosen !== undefined) return { column, field: chosen === 'ignore' ? null : chosen };
    if (h in preset.columns) return { column, field: preset.columns[h] ?? null };
    return { column, field: opts.customByName.get(h) ?? null };
  });
  const seen = new Map<string, string>();
  for (const c of columns) {
    if (!c.field || opts.repeatable(c.field)) continue;
    const earlier = seen.get(c.field);
    if (earlier !== undefined)
      throw fileError(
        `The columns "${earlier}" and "${c.column}" both fill ${c.field}; map one of them to ignore.`,
      );
    seen.set(c.field, c.column);
  }
  for (const need of opts.required) {
    if (!seen.has(need))
      throw fileError(`No column fills ${need}; name one in the mapping (map=Header=${need}).`);
  }
  return { columns, ignored: columns.filter((c) => c.field === null).map((c) => c.column) };
}
