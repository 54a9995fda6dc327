import type { DonationMethod } from '../giving/donations.table.js';
import { MAX_CENTS } from '../giving/money.js';
import { cellTextProblem } from './cell-text.js';
import type { ColumnUse } from './column-mapping.js';
import { type DateOrder, dateProblem, parseDate } from './import-dates.js';
import type { RowError } from './import-report.js';

/** One row of a giving file: one gift, or one fund's part of a gift (rows sharing a transaction id). */
export interface GiftImportRow {
  row: number;
  transactionId: string;
  date: string;
  amountCents: number;
  fund: string;
  donor: {
    externalId: string | null;
    email: string | null;
    firstName: string | null;
    lastName: string | null;
  };
  method: DonationMethod;
  checkNumber: string | null;
  /** The source's batch or deposit id, else null (gifts then group by date). */
  batchKey: string | null;
  batchName: string | null;
  note: string | null;
}

const METHOD_WORDS: Record<string, DonationMethod> = {
  cash: 'cash',
  check: 'check',
  cheque: 'check',
  card: 'card',
  'credit card': 'card',
  'debit card': 'card',
  credit: 'card',
  visa: 'card',
  mastercard: 'card',
  amex: 'card',
  ach: 'ach',
  bank: 'ach',
  'bank transfer': 'ach',
  'bank account': 'ach',
  eft: 'ach',
  'direct debit': 'ach',
};

/**
 * Cents of an amount cell: `1234.56`, `$1,234.56`, `1.234,56` (the last separator followed by
 * one or two digits is the decimal point). Null when it is not a positive amount.
 */
export function parseCents(cell: string): number | null {
  const text = cell.replace(/[\s$€£¥]|USD|EUR|GBP|CAD/gi, '');
  if (!/^\d[\d.,]*$/.test(text)) return null;
  const m = /^(.*?)(?:[.,](\d{1,2}))?$/.exec(text)!;
  const whole = m[1]!.replace(/[.,]/g, '');
  if (!/^\d+$/.test(whole)) return null;
  const cents = Number(whole) * 100 + Number((m[2] ?? '0').padEnd(2, '0'));
  return cents > 0 && cents <= MAX_CENTS ? cents : null;
}

/** Reads one gift row through the column mapping; problems go to `errors`. */
export function readGiftRow(
  cells: readonly string[],
  row: number,
  ctx: { columns: readonly ColumnUse[]; dateOrder: DateOrder },
  errors: RowError[],
): GiftImportRow {
  const one = new Map<string, { value: string; column: string }>();
  for (const [i, { field, column }] of ctx.columns.entries()) {
    const value = (cells[i] ?? '').trim();
    if (!field || value === '' || one.has(field)) continue;
    const problem = cellTextProblem(field, value);
    if (problem) errors.push({ row, column, message: problem });
    one.set(field, { value, column });
  }
  const text = (f: string) => one.get(f)?.value ?? null;
  const fail = (field: string, message: string) =>
    errors.push({
      row,
      column: one.get(field)?.column ?? ctx.columns.find((c) => c.field === field)?.column ?? null,
      message,
    });
  for (const [f, limit] of [
    ['transactionId', 100],
    ['fund', 100],
    ['checkNumber', 40],
    ['batchId', 100],
    ['batchName', 200],
    ['note', 1000],
  ] as const) {
    const v = text(f);
    if (v && v.length > limit) fail(f, `is longer than ${limit} characters`);
  }
  const transactionId = text('transactionId') ?? '';
  if (!transactionId)
    fail('transactionId', 'a transaction id is required (it makes a re-import create nothing)');
  const dateCell = text('date');
  const date = dateCell ? parseDate(dateCell, ctx.dateOrder) : null;
  if (!dateCell) fail('date', 'a date is required');
  else if (!date) fail('date', dateProblem(dateCell, ctx.dateOrder, false));
  else if (date < '1900-01-01' || date > '2100-12-31') fail('date', `${date} is outside 1900-2100`);
  const amountCell = text('amount');
  const amountCents = amountCell ? parseCents(amountCell) : null;
  if (amountCents === null)
    fail('amount', amountCell ? `"${amountCell}" is not a positive amount` : 'an amount is required');
  const fund = text('fund') ?? '';
  if (!fund) fail('fund', 'a fund is required');
  const methodCell = text('method');
  const method = methodCell
    ? (METHOD_WORDS[methodCell.toLowerCase().replace(/\s+/g, ' ')] ?? 'other')
    : 'other';
  return {
    row,
    transactionId,
    date: date ?? '',
    amountCents: amountCents ?? 0,
    fund,
    donor: {
      externalId: text('donorExternalId'),
      email: text('donorEmail'),
      firstName: text('donorFirstName'),
      lastName: text('donorLastName'),
    },
    method,
    checkNumber: text('checkNumber'),
    batchKey: text('batchId') ?? text('batchName'),
    batchName: text('batchName'),
    note: text('note'),
  };
}
