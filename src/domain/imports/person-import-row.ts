import type { FieldDef } from '../custom-fields/custom-field-value.js';
import { isIsoDate, storedValue, valueFromCell } from '../custom-fields/custom-field-value.js';
import type { HouseholdRole } from '../households/households.table.js';
import type { MembershipStatus } from '../people/people.table.js';
import type { AddressFields } from '../postal-address.js';
import { searchKey } from '../search.js';
import { cellTextProblem } from './cell-text.js';
import type { ColumnUse } from './column-mapping.js';
import { type DateOrder, dateProblem, parseDate } from './import-dates.js';
import type { RowError } from './import-report.js';
import { statusWordKey } from './status-words.js';

/** A household a row names: by the source's family id, else by family name and address. */
export interface HouseholdRef {
  /** `id:<family id>` or `name:<name>|<street>|<postal code>`, lower-cased. */
  key: string;
  externalId: string | null;
  name: string;
  address: Partial<AddressFields>;
}

/** One people row, checked and normalised. */
export interface PersonImportRow {
  row: number;
  externalId: string | null;
  firstName: string;
  lastName: string;
  middleName: string | null;
  suffix: string | null;
  preferredName: string | null;
  gender: string | null;
  birthDate: string | null;
  notes: string | null;
  /** In column order: the first is the primary one. */
  emails: Array<{ value: string; label: string | null }>;
  phones: Array<{ value: string; label: string | null }>;
  membershipStatus: MembershipStatus | null;
  household: HouseholdRef | null;
  householdRole: HouseholdRole | null;
  custom: Array<{ fieldId: string; key: string; text: string }>;
}

export interface RowContext {
  columns: readonly ColumnUse[];
  dateOrder: DateOrder;
  noYear: number | undefined;
  statuses: ReadonlyMap<string, MembershipStatus>;
  customByKey: ReadonlyMap<string, FieldDef>;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

const YES = new Set(['yes', 'y', 'true', '1', 'x']);
const LIMITS: Record<string, number> = {
  firstName: 100,
  lastName: 100,
  middleName: 100,
  preferredName: 100,
  suffix: 20,
  gender: 40,
  notes: 10_000,
  externalId: 100,
  householdKey: 100,
  householdName: 200,
  addressLine1: 200,
  addressLine2: 200,
  city: 200,
  region: 200,
  postalCode: 200,
  country: 200,
};

/** Family-role words of the exports -> household roles. */
const ROLE_WORDS: Record<string, HouseholdRole> = {
  head: 'head',
  'head of household': 'head',
  'primary contact': 'head',
  primary: 'head',
  spouse: 'spouse',
  husband: 'spouse',
  wife: 'spouse',
  partner: 'spouse',
  adult: 'adult',
  child: 'child',
  son: 'child',
  daughter: 'child',
  dependent: 'child',
  other: 'other',
  'other relative': 'other',
  'non relative': 'other',
  'non-relative': 'other',
  unassigned: 'other',
};

/** Reads one row's cells through the column mapping; problems go to `errors`, never thrown. */
export function readPersonRow(
  cells: readonly string[],
  row: number,
  ctx: RowContext,
  errors: RowError[],
): PersonImportRow {
  const one = new Map<string, { value: string; column: string }>();
  const emails: PersonImportRow['emails'] = [];
  const phones: PersonImportRow['phones'] = [];
  const custom: PersonImportRow['custom'] = [];
  const fail = (column: string | null, message: string) => {
    errors.push({ row, column, message });
  };
  // Fields whose cell broke the text rule: reported once, not again as missing.
  const refused = new Set<string>();
  for (const [i, { field, column }] of ctx.columns.entries()) {
    const value = (cells[i] ?? '').trim();
    if (!field || value === '') continue;
    const problem = cellTextProblem(field, value);
    if (problem) {
      fail(column, problem);
      refused.add(field);
      continue;
    }
    const [kind, label] = field.split(/[:.]/, 2) as [string, string | undefined];
    if (kind === 'email') {
      if (!EMAIL.test(value) || value.length > 254) {
        fail(column, `"${value}" is not an email address`);
        continue;
      }
      if (!emails.some((e) => searchKey(e.value) === searchKey(value)))
        emails.push({ value, label: label ?? null });
      continue;
    }
    if (kind === 'phone') {
      if (value.length > 40) {
        fail(column, 'is longer than 40 characters');
        continue;
      }
      if (!phones.some((p) => p.value === value)) phones.push({ value, label: label ?? null });
      continue;
    }
    if (kind === 'custom') {
      const def = ctx.customByKey.get(label!)!;
      let v = valueFromCell(def, value);
      if (def.type === 'date') {
        const d = parseDate(value, ctx.dateOrder);
        v = d && isIsoDate(d) ? d : { error: dateProblem(value, ctx.dateOrder, false) };
      }
      if (typeof v === 'object') {
        fail(column, v.error);
        continue;
      }
      const stored = storedValue(def, v);
      if ('error' in stored) {
        fail(column, `${def.label} ${stored.error}`);
        continue;
      }
      custom.push({ fieldId: def.id, key: def.key, text: stored.text });
      continue;
    }
    const limit = LIMITS[field];
    if (limit !== undefined && value.length > limit) {
      fail(column, `is longer than ${limit} characters`);
      continue;
    }
    one.set(field, { value, column });
  }

  const text = (f: string) => one.get(f)?.value ?? null;
  const firstName = text('firstName') ?? '';
  const lastName = text('lastName') ?? '';
  const columnOf = (f: string) =>
    one.get(f)?.column ?? ctx.columns.find((c) => c.field === f)?.column ?? null;
  if (!firstName && !refused.has('firstName')) fail(columnOf('firstName'), 'a first name is required');
  if (!lastName && !refused.has('lastName')) fail(columnOf('lastName'), 'a last name is required');

  let birthDate: string | null = null;
  const birth = one.get('birthDate');
  if (birth) {
    birthDate = parseDate(birth.value, ctx.dateOrder, { yearless: true, noYear: ctx.noYear });
    if (!birthDate) fail(birth.column, dateProblem(birth.value, ctx.dateOrder, true));
  }

  let membershipStatus: MembershipStatus | null = null;
  const status = one.get('membershipStatus');
  if (status) {
    membershipStatus = ctx.statuses.get(statusWordKey(status.value)) ?? null;
    if (!membershipStatus)
      fail(
        status.column,
        `status "${status.value}" has no mapping; add status=${status.value}=<member|regular|visitor|inactive>`,
      );
  }
  // A separate active/inactive column (Planning Center's Status) wins over the membership word.
  if (text('activity')?.toLowerCase() === 'inactive') membershipStatus = 'inactive';

  const role = one.get('householdRole');
  let householdRole: HouseholdRole | null = null;
  if (role) {
    householdRole = ROLE_WORDS[statusWordKey(role.value)] ?? null;
    if (!householdRole)
      fail(role.column, `household role "${role.value}" is not one of head, spouse, adult, child, other`);
  } else if (YES.has(text('householdPrimary')?.toLowerCase() ?? '')) householdRole = 'head';
  else if (YES.has(text('isChild')?.toLowerCase() ?? '')) householdRole = 'child';
  else if (text('maritalStatus')?.toLowerCase() === 'married') householdRole = 'spouse';

  const address: Partial<AddressFields> = {};
  for (const f of ['addressLine1', 'addressLine2', 'city', 'region', 'postalCode', 'country'] as const) {
    const v = text(f);
    if (v !== null) address[f] = v;
  }
  const familyId = text('householdKey');
  const familyName = text('householdName');
  let household: HouseholdRef | null = null;
  if (familyId) {
    household = {
      key: `id:${familyId}`,
      externalId: familyId,
      name: familyName ?? `${lastName} household`,
      address,
    };
  } else if (familyName || address.addressLine1) {
    // Without a family id, one household per family name (else last name) at one address.
    const name = familyName ?? `${lastName} household`;
    const where = `${address.addressLine1 ?? ''}|${address.postalCode ?? ''}`;
    household = {
      key: searchKey(`name:${name}|${where}`).replace(/\s+/g, ' '),
      externalId: null,
      name,
      address,
    };
  }

  return {
    row,
    externalId: text('externalId'),
    firstName,
    lastName,
    middleName: text('middleName'),
    suffix: text('suffix'),
    preferredName: text('preferredName'),
    gender: text('gender'),
    birthDate,
    notes: text('notes'),
    emails,
    phones,
    membershipStatus,
    household,
    householdRole,
    custom,
  };
}
