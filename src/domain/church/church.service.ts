import { Errors, type FieldError } from '../../http/app-error.js';
import { isCurrency, isTimeZone } from '../../platform/registrations/registration-rules.js';
import type { ChurchProfileTable } from '../../platform/registrations/seed-tenant.js';
import type { TenantDb } from '../../tenancy/tenant-database.js';
import { type Actor, appendAudit } from '../audit/audit.repository.js';

export interface ChurchPatch {
  name?: string;
  timezone?: string;
  currency?: string;
  addressLine1?: string | null;
  addressLine2?: string | null;
  city?: string | null;
  region?: string | null;
  postalCode?: string | null;
  country?: string | null;
}

export function toChurch(row: ChurchProfileTable) {
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    timezone: row.timezone,
    currency: row.currency,
    addressLine1: row.address_line1,
    addressLine2: row.address_line2,
    city: row.city,
    region: row.region,
    postalCode: row.postal_code,
    country: row.country,
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
    const cols: Partial<ChurchProfileTable> = {};
    if (patch.name !== undefined) cols.name = patch.name;
    if (patch.timezone !== undefined) cols.timezone = patch.timezone;
    if (patch.currency !== undefined) cols.currency = patch.currency;
    if (patch.addressLine1 !== undefined) cols.address_line1 = patch.addressLine1;
    if (patch.addressLine2 !== undefined) cols.address_line2 = patch.addressLine2;
    if (patch.city !== undefined) cols.city = patch.city;
    if (patch.region !== undefined) cols.region = patch.region;
    if (patch.postalCode !== undefined) cols.postal_code = patch.postalCode;
    if (patch.country !== undefined) cols.country = patch.country;
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
