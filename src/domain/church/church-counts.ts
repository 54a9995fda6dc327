import type { TenantDb } from '../../tenancy/tenant-database.js';

/** The home screen's counts: one read of each table's size, and this week's and year's activity. */
export interface ChurchCounts {
  people: number;
  households: number;
  groups: number;
  /** Check-ins at events that started in the last 7 days. */
  attendanceThisWeek: number;
  /** Gifts received since 1 January (church time), net of reversals; gifts in open batches wait. */
  givingThisYearCents: number | null;
}

const count = (n: number | string | bigint | null | undefined) => Number(n ?? 0);

/**
 * Counts for the home screen. `withGiving`: the caller may read giving (otherwise null). `now`
 * and the church's time zone fix "this week" and "this year".
 */
export async function churchCounts(
  db: TenantDb,
  opts: { withGiving: boolean; timezone: string; now?: Date },
): Promise<ChurchCounts> {
  const now = opts.now ?? new Date();
  const weekAgo = new Date(now.getTime() - 7 * 24 * 3600 * 1000).toISOString();
  const year = new Intl.DateTimeFormat('en-CA', { timeZone: opts.timezone, year: 'numeric' }).format(now);
  const total = (table: 'people' | 'households' | 'groups') =>
    db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
  const [people, households, groups, attendance, giving] = await Promise.all([
    total('people'),
    total('households'),
    total('groups'),
    db
      .selectFrom('attendance as a')
      .innerJoin('events as e', 'e.id', 'a.event_id')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('e.starts_at', '>=', weekAgo)
      .where('e.starts_at', '<=', now.toISOString())
      .executeTakeFirstOrThrow(),
    opts.withGiving
      ? db
          .selectFrom('donations as d')
          .leftJoin('batches as b', 'b.id', 'd.batch_id')
          .select((eb) => eb.fn.sum<number | string | null>('d.amount_cents').as('cents'))
          .where('d.received_on', '>=', `${year}-01-01`)
          .where((eb) => eb.or([eb('d.batch_id', 'is', null), eb('b.status', '=', 'committed')]))
          .executeTakeFirstOrThrow()
      : undefined,
  ]);
  return {
    people: count(people.n),
    households: count(households.n),
    groups: count(groups.n),
    attendanceThisWeek: count(attendance.n),
    givingThisYearCents: giving ? count(giving.cents) : null,
  };
}
