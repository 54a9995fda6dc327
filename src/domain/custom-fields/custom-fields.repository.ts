import { queryTemplate } from '../../infra/db/query-template.js';
import type { TenantDb } from '../../tenancy/tenant-database.js';
import type { CustomFieldRow, CustomFieldUpdate, NewCustomFieldRow } from './custom-fields.table.js';

const listFieldsQuery = queryTemplate((db: TenantDb, _: object) =>
  db
    .selectFrom('custom_fields')
    .select(['id', 'key', 'label', 'type', 'choices', 'position', 'created_at', 'updated_at'])
    .orderBy('position')
    .orderBy('key'),
);

export async function listFields(db: TenantDb): Promise<CustomFieldRow[]> {
  return listFieldsQuery(db, {});
}

export async function findField(db: TenantDb, id: string): Promise<CustomFieldRow | undefined> {
  return db.selectFrom('custom_fields').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertField(db: TenantDb, row: NewCustomFieldRow): Promise<void> {
  await db.insertInto('custom_fields').values(row).execute();
}

export async function updateField(db: TenantDb, id: string, patch: CustomFieldUpdate): Promise<void> {
  await db.updateTable('custom_fields').set(patch).where('id', '=', id).execute();
}

export async function deleteField(db: TenantDb, id: string): Promise<void> {
  await db.deleteFrom('custom_fields').where('id', '=', id).execute();
}

/** How many people hold each of `values` in the field (a choice still in use cannot be removed). */
export async function countValuesIn(db: TenantDb, fieldId: string, values: readonly string[]) {
  if (values.length === 0) return 0;
  const row = await db
    .selectFrom('person_field_values')
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .where('field_id', '=', fieldId)
    .where('value', 'in', values)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

const valuesQuery = queryTemplate((db: TenantDb, a: { ids: readonly string[] }) =>
  db
    .selectFrom('person_field_values')
    .select(['person_id', 'field_id', 'value'])
    .where('person_id', 'in', a.ids),
);

/** Stored values of the given people: person id -> field id -> text. */
export async function valuesOf(db: TenantDb, personIds: readonly string[]) {
  const out = new Map<string, Map<string, string>>();
  if (personIds.length === 0) return out;
  const rows = await valuesQuery(db, { ids: personIds });
  for (const r of rows) {
    let m = out.get(r.person_id);
    if (!m) {
      m = new Map();
      out.set(r.person_id, m);
    }
    m.set(r.field_id, r.value);
  }
  return out;
}

/** Sets (text) or clears (null) one person's values. */
export async function writeValues(
  db: TenantDb,
  personId: string,
  values: ReadonlyArray<{ fieldId: string; text: string | null }>,
): Promise<void> {
  const clear = values.filter((v) => v.text === null).map((v) => v.fieldId);
  if (clear.length)
    await db
      .deleteFrom('person_field_values')
      .where('person_id', '=', personId)
      .where('field_id', 'in', clear)
      .execute();
  const set = values.filter((v) => v.text !== null);
  if (set.length)
    await db
      .insertInto('person_field_values')
      .values(set.map((v) => ({ person_id: personId, field_id: v.fieldId, value: v.text! })))
      .onConflict((oc) =>
        oc.columns(['person_id', 'field_id']).doUpdateSet((eb) => ({ value: eb.ref('excluded.value') })),
      )
      .execute();
}
