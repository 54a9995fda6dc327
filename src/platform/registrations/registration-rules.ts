import type { FieldError } from '../../errors/app-error.js';

/** Slugs that would be confusing or collide with our own paths and hosts. */
export const RESERVED_SLUGS = new Set([
  'api',
  'admin',
  'www',
  'app',
  'static',
  'health',
  'metrics',
  'ops',
  'login',
  'logout',
  'auth',
  'register',
  'registrations',
  'signup',
  'support',
  'help',
  'status',
  'docs',
  'mail',
  'steeple',
  'root',
  'system',
  'null',
]);

export const SLUG_PATTERN = '^[a-z0-9](?:[a-z0-9-]{1,38})[a-z0-9]$';

const CURRENCIES = new Set(Intl.supportedValuesOf('currency'));

/** An ISO 4217 currency code. */
export const isCurrency = (code: string): boolean => CURRENCIES.has(code);

// Canonical zones answer from a set; aliases (e.g. "Asia/Calcutta") need ICU, which costs ~1 ms
// per DateTimeFormat, so known-good ones are remembered (at most the few hundred ICU knows).
const KNOWN_TIME_ZONES = new Set<string>(Intl.supportedValuesOf('timeZone'));

/** An IANA time zone name the runtime knows. */
export function isTimeZone(tz: string): boolean {
  if (KNOWN_TIME_ZONES.has(tz)) return true;
  if (!/^[A-Za-z][A-Za-z0-9_+-]*(?:\/[A-Za-z0-9_+-]+){0,2}$/.test(tz)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    KNOWN_TIME_ZONES.add(tz);
    return true;
  } catch {
    return false;
  }
}

export interface ChurchInput {
  slug: string;
  timezone: string;
  currency: string;
}

/** Checks what JSON Schema cannot: reserved slugs, IANA time zones, ISO 4217 currencies. */
export function checkChurchRules(church: ChurchInput): FieldError[] {
  const errors: FieldError[] = [];
  if (RESERVED_SLUGS.has(church.slug)) errors.push({ path: '/body/church/slug', message: 'is reserved' });
  if (!isTimeZone(church.timezone))
    errors.push({ path: '/body/church/timezone', message: 'is not an IANA time zone' });
  if (!isCurrency(church.currency))
    errors.push({ path: '/body/church/currency', message: 'is not an ISO 4217 currency code' });
  return errors;
}
