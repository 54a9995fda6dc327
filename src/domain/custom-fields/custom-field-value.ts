import type { CustomFieldRow } from './custom-fields.table.js';

/** A custom field's value as the API carries it. */
export type FieldValue = string | number | boolean;

/** A field definition with its choices parsed. */
export interface FieldDef {
  id: string;
  key: string;
  label: string;
  type: CustomFieldRow['type'];
  choices: string[] | null;
  position: number;
}

export function fieldDefOf(row: CustomFieldRow): FieldDef {
  return {
    id: row.id,
    key: row.key,
    label: row.label,
    type: row.type,
    choices: row.choices === null ? null : (JSON.parse(row.choices) as string[]),
    position: row.position,
  };
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const MAX_TEXT = 1000;

/** True for a real calendar date in YYYY-MM-DD form. */
export function isIsoDate(value: string): boolean {
  if (!ISO_DATE.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(value);
}

/**
 * The canonical stored text of an API value for `field`, or an error message. Stored text is
 * what filters compare, so each type has exactly one spelling per value.
 */
export function storedValue(field: FieldDef, value: FieldValue): { text: string } | { error: string } {
  switch (field.type) {
    case 'text':
      if (typeof value !== 'string' || value.length === 0 || value.length > MAX_TEXT)
        return { error: `must be text of 1 to ${MAX_TEXT} characters` };
      return { text: value };
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) return { error: 'must be a number' };
      return { text: String(value) };
    case 'date':
      if (typeof value !== 'string' || !isIsoDate(value)) return { error: 'must be a date (YYYY-MM-DD)' };
      return { text: value };
    case 'yes_no':
      if (typeof value !== 'boolean') return { error: 'must be true or false' };
      return { text: String(value) };
    case 'choice': {
      if (typeof value !== 'string') return { error: `must be one of: ${field.choices?.join(', ')}` };
      // Choices match case-insensitively and are stored as the definition spells them.
      const found = field.choices?.find((c) => c.toLowerCase() === value.trim().toLowerCase());
      return found === undefined
        ? { error: `must be one of: ${field.choices?.join(', ')}` }
        : { text: found };
    }
  }
}

/** The API value of stored text. */
export function apiValue(field: Pick<FieldDef, 'type'>, text: string): FieldValue {
  if (field.type === 'number') return Number(text);
  if (field.type === 'yes_no') return text === 'true';
  return text;
}

const YES = new Set(['yes', 'y', 'true', '1', 'x']);
const NO = new Set(['no', 'n', 'false', '0']);

/**
 * The API value a spreadsheet cell means for `field` (imports): numbers and yes/no words are
 * parsed; dates arrive already normalised by the importer's date parser.
 */
export function valueFromCell(field: FieldDef, cell: string): FieldValue | { error: string } {
  if (field.type === 'number') {
    const n = Number(cell.replace(/,/g, ''));
    return Number.isFinite(n) && cell.trim() !== '' ? n : { error: `"${cell}" is not a number` };
  }
  if (field.type === 'yes_no') {
    const w = cell.trim().toLowerCase();
    if (YES.has(w)) return true;
    if (NO.has(w)) return false;
    return { error: `"${cell}" is not yes or no` };
  }
  return cell;
}
