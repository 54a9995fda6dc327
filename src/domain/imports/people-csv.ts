import { parse } from 'csv-parse/sync';
import { AppError, type FieldError } from '../../errors/app-error.js';
import { MEMBERSHIP_STATUSES, type MembershipStatus } from '../people/people.table.js';

/** Columns a people CSV may have, by header name; firstName and lastName are required. */
export const IMPORT_COLUMNS = [
  'firstName',
  'lastName',
  'email',
  'phone',
  'birthDate',
  'membershipStatus',
  'household',
] as const;
/** Bounded so one import stays one transaction of reasonable size. */
export const MAX_IMPORT_ROWS = 10_000;

export interface ImportRow {
  /** Line in the file (the header is line 1). */
  row: number;
  firstName: string;
  lastName: string;
  email: string | null;
  phone: string | null;
  birthDate: string | null;
  membershipStatus: MembershipStatus | null;
  household: string | null;
}
export interface RowReport {
  row: number;
  /** `ok`: a valid row of a file that was rejected for other rows. */
  status: 'created' | 'updated' | 'unchanged' | 'ok' | 'error';
  personId?: string;
  errors: string[];
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

function isDate(value: string): boolean {
  if (!DATE.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(value);
}

const fileError = (message: string) =>
  new AppError('UNPROCESSABLE', message, { errors: [{ path: '/body', message }] as FieldError[] });

/** Parses and checks every row (no database); returns rows and per-row errors. */
export function parsePeopleCsv(text: string): { rows: ImportRow[]; errors: Map<number, string[]> } {
  let records: string[][];
  try {
    records = parse(text, { bom: true, skip_empty_lines: true, trim: true, relax_column_count: false });
  } catch (err) {
    throw fileError(`The file is not valid CSV: ${(err as Error).message}`);
  }
  const [header, ...data] = records;
  if (!header) throw fileError('The file is empty.');
  const unknown = header.filter((h) => !(IMPORT_COLUMNS as readonly string[]).includes(h));
  if (unknown.length) throw fileError(`Unknown columns: ${unknown.join(', ')}.`);
  if (new Set(header).size !== header.length) throw fileError('A column appears twice.');
  for (const need of ['firstName', 'lastName']) {
    if (!header.includes(need)) throw fileError(`The ${need} column is required.`);
  }
  if (data.length === 0) throw fileError('The file has no rows.');
  if (data.length > MAX_IMPORT_ROWS) throw fileError(`At most ${MAX_IMPORT_ROWS} rows per import.`);

  const errors = new Map<number, string[]>();
  const rows = data.map((cells, i) => {
    const row = i + 2;
    const cell = (name: string) => {
      const v = cells[header.indexOf(name)];
      return v === undefined || v === '' ? null : v;
    };
    const problems: string[] = [];
    const firstName = cell('firstName') ?? '';
    const lastName = cell('lastName') ?? '';
    if (!firstName) problems.push('firstName is required');
    if (!lastName) problems.push('lastName is required');
    if (firstName.length > 100 || lastName.length > 100) problems.push('names are at most 100 characters');
    const email = cell('email');
    if (email !== null && (!EMAIL.test(email) || email.length > 254)) problems.push('email is not valid');
    const phone = cell('phone');
    if (phone !== null && phone.length > 40) problems.push('phone is at most 40 characters');
    const birthDate = cell('birthDate');
    if (birthDate !== null && !isDate(birthDate)) problems.push('birthDate must be YYYY-MM-DD');
    const status = cell('membershipStatus');
    if (status !== null && !(MEMBERSHIP_STATUSES as readonly string[]).includes(status)) {
      problems.push(`membershipStatus must be one of ${MEMBERSHIP_STATUSES.join(', ')}`);
    }
    const household = cell('household');
    if (household !== null && household.length > 200) problems.push('household is at most 200 characters');
    if (problems.length) errors.set(row, problems);
    return {
      row,
      firstName,
      lastName,
      email,
      phone,
      birthDate,
      membershipStatus: status as MembershipStatus | null,
      household,
    };
  });
  return { rows, errors };
}
