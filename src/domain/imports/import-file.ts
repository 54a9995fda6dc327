import { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { parse } from 'csv-parse';
import { readSheet } from 'read-excel-file/node';
import { AppError } from '../../errors/app-error.js';

export type FileFormat = 'csv' | 'xlsx';

/** A rejected file (not a row): 422 naming what is wrong with it. */
export const fileError = (message: string) =>
  new AppError('UNPROCESSABLE', message, { errors: [{ path: '/body', message }] });

/** XLSX files are ZIP archives: they start with `PK\x03\x04`. */
export function formatOf(file: Buffer): FileFormat {
  return file.length >= 4 && file.readUInt32BE(0) === 0x504b0304 ? 'xlsx' : 'csv';
}

/**
 * The delimiter of a CSV file, chosen from its header line: the one of `,` `;` and tab that
 * occurs most outside quotes (spreadsheets in many locales save `;`).
 */
function delimiterOf(text: string): string {
  const end = text.search(/\r?\n/);
  const line = (end < 0 ? text : text.slice(0, end)).replace(/"[^"]*"/g, '');
  let best = ',';
  let most = 0;
  for (const d of [',', ';', '\t']) {
    const n = line.split(d).length - 1;
    if (n > most) {
      best = d;
      most = n;
    }
  }
  return best;
}

/** Slices fed to the CSV parser: each is parsed in one synchronous step, so this bounds a step. */
const SLICE = 32 * 1024;

/** A cell as text: spreadsheet dates become YYYY-MM-DD, numbers their plain text. */
function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? '' : value.toISOString().slice(0, 10);
  return String(value).trim();
}

/**
 * The rows of a CSV or XLSX file, the header first, each row as trimmed text cells. CSV is
 * parsed as a stream of small slices (BOM, CRLF, quotes, `,` `;` or tab), so a big file never
 * sits in memory twice as rows; XLSX is read as its first sheet.
 */
export async function* readRows(file: Buffer, format: FileFormat): AsyncGenerator<string[]> {
  if (format === 'xlsx') {
    let sheet: unknown[][];
    try {
      sheet = await readSheet(file);
    } catch (err) {
      throw fileError(`The file is not a readable XLSX workbook: ${(err as Error).message}`);
    }
    for (const row of sheet) {
      const cells = row.map(cellText);
      if (cells.some((c) => c !== '')) yield cells;
    }
    return;
  }
  // Slices of the bytes, decoded one at a time: the file is never held twice as one big string.
  const slices = function* () {
    const decoder = new StringDecoder('utf8');
    for (let i = 0; i < file.length; i += SLICE) yield decoder.write(file.subarray(i, i + SLICE));
    yield decoder.end();
  };
  const parser = Readable.from(slices()).pipe(
    parse({
      bom: true,
      delimiter: delimiterOf(
        file
          .subarray(0, 64 * 1024)
          .toString('utf8')
          .replace(/^\uFEFF/, ''),
      ),
      skip_empty_lines: true,
      trim: true,
      relax_column_count: true,
    }),
  );
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      if (record.some((c) => c !== '')) yield record;
    }
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw fileError(`The file is not valid CSV: ${(err as Error).message}`);
  }
}

/** The header row of a file, and its format. */
export async function readHeader(file: Buffer): Promise<{ format: FileFormat; header: string[] }> {
  const format = formatOf(file);
  const rows = readRows(file, format);
  const first = await rows.next();
  await rows.return(undefined);
  if (first.done) throw fileError('The file is empty.');
  return { format, header: first.value };
}
