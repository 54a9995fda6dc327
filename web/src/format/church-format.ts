import { useQuery } from '@tanstack/react-query';
import { api } from '../api/client';
import { unwrap } from '../api/problem';
import { parseMinorUnits } from './parse-money';

/** The church's profile (time zone, currency), shared by every screen through the query cache. */
export function useChurch() {
  return useQuery({
    queryKey: ['church'],
    queryFn: async () => unwrap(await api.GET('/api/church')).data,
    staleTime: 5 * 60_000,
  });
}

export interface ChurchFormat {
  /** An amount in the currency's minor units (cents; yen and won have none) as money. */
  money(minorUnits: number): string;
  /** Typed money as minor units of the currency; undefined when it is not an amount. */
  parseMoney(text: string): number | undefined;
  /** A moment (ISO timestamp) as a date and time in the church's time zone. */
  dateTime(iso: string): string;
  /** A calendar date (`YYYY-MM-DD`) as the church writes it (no time zone shift). */
  date(day: string): string;
  currency: string;
  timezone: string;
}

const cache = new Map<string, ChurchFormat>();

/** Formatters for a church's currency and time zone (Intl objects are costly: made once). */
export function churchFormat(currency: string, timezone: string): ChurchFormat {
  const key = `${currency}|${timezone}`;
  let f = cache.get(key);
  if (!f) {
    const money = new Intl.NumberFormat(undefined, { style: 'currency', currency });
    // The currency's own decimals (2 for USD, 0 for JPY and KRW, 3 for BHD): amounts are stored in its minor units.
    const digits = money.resolvedOptions().maximumFractionDigits ?? 2;
    const group = money.formatToParts(1_000_000).find((p) => p.type === 'group')?.value ?? ',';
    const dt = new Intl.DateTimeFormat(undefined, {
      dateStyle: 'medium',
      timeStyle: 'short',
      timeZone: timezone,
    });
    const d = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone: 'UTC' });
    f = {
      money: (minorUnits) => money.format(minorUnits / 10 ** digits),
      parseMoney: (text) => parseMinorUnits(text, digits, group),
      dateTime: (iso) => dt.format(new Date(iso)),
      date: (day) => d.format(new Date(`${day.slice(0, 10)}T00:00:00Z`)),
      currency,
      timezone,
    };
    cache.set(key, f);
  }
  return f;
}

/** Formatters for the signed-in church (UTC and USD until its profile has loaded). */
export function useFormat(): ChurchFormat {
  const church = useChurch().data;
  return churchFormat(church?.currency ?? 'USD', church?.timezone ?? 'UTC');
}

/** Today's date in a time zone, as `YYYY-MM-DD`. */
export function todayIn(timezone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: timezone }).format(new Date());
}

/** The UTC instant of a wall-clock time (`YYYY-MM-DDTHH:mm`) in a time zone. */
export function wallTimeToIso(local: string, timezone: string): string {
  const [d, t = '00:00'] = local.split('T');
  const [y, mo, da] = d!.split('-').map(Number);
  const [h, mi] = t.split(':').map(Number);
  const guess = Date.UTC(y!, mo! - 1, da!, h!, mi!);
  // The zone's offset at that moment, read back from Intl (twice: the first guess may sit across a DST change).
  const offsetAt = (ms: number) => {
    const p = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
    }).formatToParts(new Date(ms));
    const n = (type: string) => Number(p.find((x) => x.type === type)?.value);
    return Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute')) - ms;
  };
  const first = guess - offsetAt(guess);
  return new Date(guess - offsetAt(first)).toISOString();
}
