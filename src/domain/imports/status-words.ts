import { MEMBERSHIP_STATUSES, type MembershipStatus } from '../people/people.table.js';

/**
 * What the words other systems use for a person's standing mean in Steeple. Matched after
 * lower-casing and collapsing spaces; a request can add or override words.
 */
export const DEFAULT_STATUS_WORDS: Readonly<Record<string, MembershipStatus>> = {
  member: 'member',
  members: 'member',
  'active member': 'member',
  'church member': 'member',
  'full member': 'member',
  'associate member': 'member',
  'regular attender': 'regular',
  'regular attendee': 'regular',
  regular: 'regular',
  attender: 'regular',
  attendee: 'regular',
  participant: 'regular',
  'non-member': 'regular',
  visitor: 'visitor',
  guest: 'visitor',
  'first time guest': 'visitor',
  'first-time guest': 'visitor',
  'first time visitor': 'visitor',
  newcomer: 'visitor',
  prospect: 'visitor',
  inactive: 'inactive',
  'non-attender': 'inactive',
  'no longer attends': 'inactive',
  'moved away': 'inactive',
  moved: 'inactive',
  former: 'inactive',
  'former member': 'inactive',
  deceased: 'inactive',
  archived: 'inactive',
};

export const statusWordKey = (word: string) => word.trim().toLowerCase().replace(/\s+/g, ' ');

/** The default table with the request's `Word=status` overrides applied. */
export function statusTable(overrides: ReadonlyArray<{ word: string; status: MembershipStatus }>) {
  const table = new Map<string, MembershipStatus>(Object.entries(DEFAULT_STATUS_WORDS));
  for (const s of MEMBERSHIP_STATUSES) table.set(s, s);
  for (const o of overrides) table.set(statusWordKey(o.word), o.status);
  return table;
}
