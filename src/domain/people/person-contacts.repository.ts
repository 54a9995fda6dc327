import { queryTemplate } from '../../infra/db/query-template.js';
import type { TenantDb } from '../../tenancy/tenant-database.js';
import { searchKey } from '../search.js';
import type { ContactKind } from './person-contacts.table.js';

export interface Contact {
  value: string;
  label: string | null;
}
export type Contacts = Record<ContactKind, Contact[]>;

const contactsQuery = queryTemplate((db: TenantDb, a: { ids: readonly string[] }) =>
  db
    .selectFrom('person_contacts')
    .select(['person_id', 'kind', 'value', 'label'])
    .where('person_id', 'in', a.ids)
    .orderBy('person_id')
    .orderBy('kind')
    .orderBy('position'),
);

/** Extra contacts of the given people, in order (every id gets both lists, maybe empty). */
export async function contactsOf(db: TenantDb, personIds: readonly string[]): Promise<Map<string, Contacts>> {
  const out = new Map<string, Contacts>(personIds.map((id) => [id, { email: [], phone: [] }]));
  if (personIds.length === 0) return out;
  const rows = await contactsQuery(db, { ids: personIds });
  for (const r of rows) out.get(r.person_id)?.[r.kind].push({ value: r.value, label: r.label });
  return out;
}

/** Replaces one kind of a person's extra contacts. */
export async function setContacts(
  db: TenantDb,
  personId: string,
  kind: ContactKind,
  contacts: readonly Contact[],
): Promise<void> {
  await db.deleteFrom('person_contacts').where('person_id', '=', personId).where('kind', '=', kind).execute();
  if (contacts.length === 0) return;
  await db
    .insertInto('person_contacts')
    .values(
      contacts.map((c, position) => ({
        person_id: personId,
        kind,
        position,
        value: c.value,
        value_key: searchKey(c.value),
        label: c.label,
      })),
    )
    .execute();
}
