import type { Kysely } from 'kysely';
import type { TenantDb } from '../../tenancy/tenant-database.js';

/**
 * What an export contains: every table of church data, each paged by its primary key so a
 * large church streams in bounded memory. Secrets (password and refresh-token hashes) are left
 * out, except password hashes in an operator's export (see exportChurch).
 */
export const EXPORT_TABLES: ReadonlyArray<{ table: string; key: string[]; omit?: string[] }> = [
  { table: 'church', key: ['id'] },
  { table: 'users', key: ['id'], omit: ['password_hash'] },
  { table: 'people', key: ['id'] },
  { table: 'person_contacts', key: ['person_id', 'kind', 'position'] },
  { table: 'custom_fields', key: ['id'] },
  { table: 'person_field_values', key: ['person_id', 'field_id'] },
  { table: 'households', key: ['id'] },
  { table: 'household_members', key: ['person_id'] },
  { table: 'tags', key: ['id'] },
  { table: 'person_tags', key: ['person_id', 'tag_id'] },
  { table: 'groups', key: ['id'] },
  { table: 'group_members', key: ['group_id', 'person_id'] },
  { table: 'events', key: ['id'] },
  { table: 'attendance', key: ['event_id', 'person_id'] },
  { table: 'funds', key: ['id'] },
  { table: 'batches', key: ['id'] },
  { table: 'donations', key: ['id'] },
  { table: 'donation_splits', key: ['donation_id', 'position'] },
  { table: 'external_ids', key: ['kind', 'source', 'external_id'] },
  // An import's uploaded file (import_file_parts) is a working copy, dropped when the run ends: not
  // church data, so not exported.
  { table: 'imports', key: ['id'] },
  { table: 'audit_log', key: ['id'] },
];

/** The `format` member of every export: bumped when its shape changes. */
export const EXPORT_FORMAT = 'steeple-export-1';

const PAGE = 500;
// *_key columns are lower-cased copies for search, derived from the exported values.
const isDerived = (column: string) => column.endsWith('_key');

async function* rowsOf(db: TenantDb, spec: (typeof EXPORT_TABLES)[number], keep: readonly string[]) {
  // biome-ignore lint/suspicious/noExplicitAny: the table list is dynamic; rows are passed through as JSON
  const anyDb = db as unknown as Kysely<any>;
  let after: unknown[] | undefined;
  for (;;) {
    let q = anyDb.selectFrom(spec.table).selectAll().limit(PAGE);
    for (const k of spec.key) q = q.orderBy(k);
    if (after) {
      const last = after;
      const [k1, k2, k3] = spec.key as [string, string?, string?];
      q = q.where(({ eb, refTuple, tuple }) =>
        k2 === undefined
          ? eb(k1, '>', last[0])
          : k3 === undefined
            ? eb(refTuple(k1, k2), '>', tuple(last[0], last[1]))
            : eb(refTuple(k1, k2, k3), '>', tuple(last[0], last[1], last[2])),
      );
    }
    const rows = (await q.execute()) as Record<string, unknown>[];
    for (const row of rows) {
      for (const col of Object.keys(row))
        if (isDerived(col) || (spec.omit?.includes(col) && !keep.includes(col))) delete row[col];
      yield row;
    }
    if (rows.length < PAGE) return;
    const lastRow = rows[rows.length - 1]!;
    after = spec.key.map((k) => lastRow[k]);
  }
}

export interface ExportOptions {
  /**
   * Keep users' password hashes (argon2id PHC strings): the operator's export (a 0600 file under
   * DATA_DIR/exports) restores a church whose staff sign in as before. A church's own download
   * leaves them out.
   */
  passwordHashes?: boolean;
}

/**
 * The export as JSON text chunks: `{"data":{"exportedAt":..,"tables":{"people":[..],..}}}`.
 * Chunks are yielded page by page; the whole document is never built in memory.
 */
export async function* exportChurch(db: TenantDb, opts: ExportOptions = {}): AsyncGenerator<string> {
  const keep = opts.passwordHashes ? ['password_hash'] : [];
  yield `{"data":{"format":${JSON.stringify(EXPORT_FORMAT)},"exportedAt":${JSON.stringify(new Date().toISOString())},"tables":{`;
  for (const [i, spec] of EXPORT_TABLES.entries()) {
    yield `${i ? ',' : ''}${JSON.stringify(spec.table)}:[`;
    let first = true;
    let buffer: string[] = [];
    for await (const row of rowsOf(db, spec, keep)) {
      buffer.push((first ? '' : ',') + JSON.stringify(row));
      first = false;
      if (buffer.length >= PAGE) {
        yield buffer.join('');
        buffer = [];
      }
    }
    yield `${buffer.join('')}]`;
  }
  yield '}}}';
}
