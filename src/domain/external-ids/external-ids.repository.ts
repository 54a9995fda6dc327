import { queryTemplate } from '../../infra/db/query-template.js';
import type { TenantDb } from '../../tenancy/tenant-database.js';
import type { ExternalIdKind } from './external-ids.table.js';

export interface ExternalRef {
  source: string;
  id: string;
}

const TARGET_TABLE = {
  person: 'people',
  household: 'households',
  donation: 'donations',
  batch: 'batches',
} as const;
const CHUNK = 500;

/**
 * Steeple ids of `refs` that point at a row that still exists: `source\u0000id` -> target id.
 * The join drops links left behind by a deleted target.
 */
export async function resolveExternalIds(
  db: TenantDb,
  kind: ExternalIdKind,
  source: string,
  ids: readonly string[],
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const unique = [...new Set(ids)];
  for (let i = 0; i < unique.length; i += CHUNK) {
    // The target table varies with the kind; its `id` is all the join needs.
    const rows = await db
      .selectFrom('external_ids as x')
      .innerJoin(`${TARGET_TABLE[kind]} as t` as 'people as t', 't.id', 'x.target_id')
      .select(['x.external_id', 'x.target_id'])
      .where('x.kind', '=', kind)
      .where('x.source', '=', source)
      .where('x.external_id', 'in', unique.slice(i, i + CHUNK))
      .execute();
    for (const r of rows) out.set(r.external_id, r.target_id);
  }
  return out;
}

/** Links (or re-links) external ids to their Steeple rows. */
export async function linkExternalIds(
  db: TenantDb,
  kind: ExternalIdKind,
  links: ReadonlyArray<{ source: string; id: string; targetId: string }>,
  now: string,
): Promise<void> {
  for (let i = 0; i < links.length; i += CHUNK) {
    await db
      .insertInto('external_ids')
      .values(
        links.slice(i, i + CHUNK).map((l) => ({
          kind,
          source: l.source,
          external_id: l.id,
          target_id: l.targetId,
          created_at: now,
        })),
      )
      .onConflict((oc) =>
        oc
          .columns(['kind', 'source', 'external_id'])
          .doUpdateSet((eb) => ({ target_id: eb.ref('excluded.target_id') })),
      )
      .execute();
  }
}

const externalIdsQuery = queryTemplate((db: TenantDb, a: { kind: ExternalIdKind; ids: readonly string[] }) =>
  db
    .selectFrom('external_ids')
    .select(['target_id', 'source', 'external_id'])
    .where('kind', '=', a.kind)
    .where('target_id', 'in', a.ids)
    .orderBy('source')
    .orderBy('external_id'),
);

/** External ids of the given rows: target id -> refs, sorted by source then id. */
export async function externalIdsOf(db: TenantDb, kind: ExternalIdKind, targetIds: readonly string[]) {
  const out = new Map<string, ExternalRef[]>();
  if (targetIds.length === 0) return out;
  const rows = await externalIdsQuery(db, { kind, ids: targetIds });
  for (const r of rows) {
    let list = out.get(r.target_id);
    if (!list) {
      list = [];
      out.set(r.target_id, list);
    }
    list.push({ source: r.source, id: r.external_id });
  }
  return out;
}

/** Replaces a row's external ids with `refs`; an id another row holds moves to this one. */
export async function setExternalIds(
  db: TenantDb,
  kind: ExternalIdKind,
  targetId: string,
  refs: readonly ExternalRef[],
  now: string,
): Promise<void> {
  await db.deleteFrom('external_ids').where('kind', '=', kind).where('target_id', '=', targetId).execute();
  await linkExternalIds(
    db,
    kind,
    refs.map((r) => ({ ...r, targetId })),
    now,
  );
}

export async function deleteExternalIdsOf(db: TenantDb, kind: ExternalIdKind, targetId: string) {
  await db.deleteFrom('external_ids').where('kind', '=', kind).where('target_id', '=', targetId).execute();
}
