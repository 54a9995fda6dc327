import { Errors, type FieldError } from '../../errors/app-error.js';
import { isCurrency, isTimeZone } from '../../platform/registrations/registration-rules.js';
import type { ChurchProfileTable } from './church.table.js';
import type { TenantDb } from '../../tenancy/tenant-database.js';
import { type Actor, appendAudit } from '../audit/audit.repository.js';
import { type AddressFields, addressColumns, addressFields } from '../postal-address.js';

export interface ChurchPatch extends Partial<AddressFields> {
  name?: string;
  timezone?: string;
  currency?: string;
  taxReceiptText?: string | null;
}

export function toChurch(row: ChurchProfileTable) {
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    timezone: row.timezone,
    currency: row.currency,
    ...addressFields(row),
    taxReceiptText: row.tax_receipt_text ?? null,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
export type Church = ReturnType<typeof toChurch>;

export async function getChurch(db: TenantDb): Promise<Church> {
  const row = await db.selectFrom('church').selectAll().executeTakeFirst();
  if (!row) throw Errors.notFound('church');
  return toChurch(row);
}

/**
 * Updates the profile. The currency cannot change once money is recorded: every stored amount
 * is in minor units of that currency.
 */
export async function updateChurch(db: TenantDb, actor: Actor, patch: ChurchPatch): Promise<Church> {
  const errors: FieldError[] = [];
  if (patch.timezone !== undefined && !isTimeZone(patch.timezone)) {
    errors.push({ path: '/body/timezone', message: 'is not an IANA time zone' });
  }
  if (patch.currency !== undefined && !isCurrency(patch.currency)) {
    errors.push({ path: '/body/currency', message: 'is not an ISO 4217 currency code' });
  }
  if (errors.length > 0) throw Errors.validation(errors);
  return db.transaction().execute(async (trx) => {
    const before = await getChurch(trx);
    if (patch.currency !== undefined && patch.currency !== before.currency) {
      const donation = await trx.selectFrom('donations').select('id').limit(1).executeTakeFirst();
      if (donation) throw Errors.conflict('The currency cannot change once donations are recorded.');
    }
    const cols: Partial<ChurchProfileTable> = addressColumns(patch);
    if (patch.name !== undefined) cols.name = patch.name;
    if (patch.timezone !== undefined) cols.timezone = patch.timezone;
    if (patch.currency !== undefined) cols.currency = patch.currency;
    if (patch.taxReceiptText !== undefined) cols.tax_receipt_text = patch.taxReceiptText;
    await trx
      .updateTable('church')
      .set({ ...cols, updated_at: new Date().toISOString() })
      .where('id', '=', before.id)
      .execute();
    const after = await getChurch(trx);
    await appendAudit(trx, actor, { action: 'update', entity: 'church', entityId: before.id, before, after });
    return after;
  });
}
