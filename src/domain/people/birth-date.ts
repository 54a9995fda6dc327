/** `YYYY-MM-DD`, or `--MM-DD` (ISO 8601 without a year) when only the month and day are known. */
export const BIRTH_DATE_PATTERN = '^(\\d{4}|-)-\\d{2}-\\d{2}$';
const BIRTH_DATE = new RegExp(BIRTH_DATE_PATTERN);

/** A real calendar day; a year-less date is checked against a leap year, so `--02-29` is valid. */
export function isBirthDate(value: string): boolean {
  if (!BIRTH_DATE.test(value)) return false;
  const iso = value.startsWith('--') ? `2000${value.slice(1)}` : value;
  const d = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(iso);
}
