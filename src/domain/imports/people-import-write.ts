import type { TenantDb } from '../../tenancy/tenant-database.js';
import { type Actor, appendAuditMany } from '../audit/audit.repository.js';
import { linkExternalIds } from '../external-ids/external-ids.repository.js';
import { addressColumns, NO_ADDRESS } from '../postal-address.js';
import { searchKey } from '../search.js';
import type { ChunkWrites } from './people-import-plan.js';
import { insertMany } from './people-import.repository.js';

/** Writes one planned chunk; the caller wraps it in a transaction. */
export async function writeChunk(trx: TenantDb, actor: Actor, w: ChunkWrites, source: string): Promise<void> {
  const now = w.now;
  for (const h of w.households) {
    if (h.insert) {
      await trx
        .insertInto('households')
        .values({
          id: h.id,
          name: h.name,
          name_key: searchKey(h.name),
          ...NO_ADDRESS,
          ...addressColumns(h.address),
          created_at: now,
          updated_at: now,
        })
        .execute();
      if (h.externalId)
        await linkExternalIds(trx, 'household', [{ source, id: h.externalId, targetId: h.id }], now);
      w.audit.push({
        action: 'create',
        entity: 'household',
        entityId: h.id,
        after: { id: h.id, name: h.name, ...h.address },
      });
    } else {
      await trx
        .updateTable('households')
        .set({ ...addressColumns(h.address), updated_at: now })
        .where('id', '=', h.id)
        .execute();
      w.audit.push({ action: 'update', entity: 'household', entityId: h.id, after: { ...h.address } });
    }
  }
  await insertMany(trx, 'people', w.inserts, 100);
  for (const u of w.updates) await trx.updateTable('people').set(u.set).where('id', '=', u.id).execute();
  for (let i = 0; i < w.memberships.length; i += 200) {
    await trx
      .insertInto('household_members')
      .values(w.memberships.slice(i, i + 200).map((m) => ({ ...m, created_at: now })))
      .onConflict((oc) =>
        oc.column('person_id').doUpdateSet((eb) => ({
          household_id: eb.ref('excluded.household_id'),
          role: eb.ref('excluded.role'),
        })),
      )
      .execute();
  }
  for (const c of w.contacts) {
    await trx
      .deleteFrom('person_contacts')
      .where('person_id', '=', c.personId)
      .where('kind', '=', c.kind)
      .execute();
  }
  await insertMany(
    trx,
    'person_contacts',
    w.contacts.flatMap((c) =>
      c.list.map((x, position) => ({
        person_id: c.personId,
        kind: c.kind,
        position,
        value: x.value,
        value_key: searchKey(x.value),
        label: x.label,
      })),
    ),
  );
  await linkExternalIds(trx, 'person', w.externalIds, now);
  for (let i = 0; i < w.custom.length; i += 200) {
    await trx
      .insertInto('person_field_values')
      .values(w.custom.slice(i, i + 200))
      .onConflict((oc) =>
        oc.columns(['person_id', 'field_id']).doUpdateSet((eb) => ({ value: eb.ref('excluded.value') })),
      )
      .execute();
  }
  await appendAuditMany(trx, actor, w.audit);
}
