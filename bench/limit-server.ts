import Database from 'better-sqlite3';
import Fastify from 'fastify';
import pg from 'pg';

/**
 * The limit the tenancy-overhead bench compares Steeple with: the least a Node server can do to
 * answer `GET /api/people?limit=20` with the same JSON. Fastify with no logging, no hooks and no
 * schemas, prepared statements on one church's database (a better-sqlite3 handle, or a pg pool
 * of 2 as Steeple keeps per church), rows mapped and paged as the API does. `GET /health` is a
 * trivial Fastify route answering what `GET /api/health` answers. No Steeple code on purpose. Like
 * the API it reads the page, then each listed person's contacts, external ids and custom values
 * (and the field definitions), one query each.
 *
 * node --import tsx bench/limit-server.ts --port <n> (--sqlite <file> | --pg <url>)
 */
const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? undefined : process.argv[i + 1];
};

// The API's SQL: every people column by name, then the household.
const PEOPLE_COLUMNS = [
  'id',
  'first_name',
  'last_name',
  'middle_name',
  'suffix',
  'preferred_name',
  'email',
  'phone',
  'birth_date',
  'gender',
  'membership_status',
  'notes',
  'first_name_key',
  'last_name_key',
  'preferred_name_key',
  'email_key',
  'created_at',
  'updated_at',
];
const PEOPLE = `select ${PEOPLE_COLUMNS.map((c) => `"people"."${c}"`).join(', ')}, "hm"."household_id", "hm"."role" as "household_role" from "people"
  left join "household_members" as "hm" on "hm"."person_id" = "people"."id"
  order by "people"."last_name_key", "people"."first_name_key", "people"."id" limit `;
// The details the API adds to each listed person: one query each for the whole page.
const DETAILS = {
  contacts: (ids: string) =>
    `select "person_id", "kind", "value", "label" from "person_contacts" where "person_id" in (${ids}) order by "person_id", "kind", "position"`,
  externalIds: (ids: string) =>
    `select "target_id", "source", "external_id" from "external_ids" where "kind" = 'person' and "target_id" in (${ids}) order by "source", "external_id"`,
  fields: () =>
    `select "id", "key", "label", "type", "choices", "position", "created_at", "updated_at" from "custom_fields" order by "position", "key"`,
  values: (ids: string) =>
    `select "person_id", "field_id", "value" from "person_field_values" where "person_id" in (${ids})`,
};

type Row = Record<string, string | null>;
type Query = (sql: string, params: unknown[]) => Promise<Row[]> | Row[];
let query: Query;
let placeholders: (n: number) => string;
const file = arg('sqlite');
const url = arg('pg');
if (file) {
  const db = new Database(file, { readonly: true });
  const statements = new Map<string, Database.Statement>();
  query = (sql, params) => {
    let stmt = statements.get(sql);
    if (!stmt) {
      stmt = db.prepare(sql);
      statements.set(sql, stmt);
    }
    return stmt.all(...params) as Row[];
  };
  placeholders = (n) => Array.from({ length: n }, () => '?').join(', ');
} else if (url) {
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  query = async (sql, params) => (await pool.query(sql, params)).rows;
  placeholders = (n) => Array.from({ length: n }, (_, i) => `$${i + 1}`).join(', ');
} else {
  throw new Error('--sqlite <file> or --pg <url>');
}

const person = (r: Row, d: Details) => ({
  id: r.id,
  firstName: r.first_name,
  middleName: r.middle_name,
  lastName: r.last_name,
  suffix: r.suffix,
  preferredName: r.preferred_name,
  email: r.email,
  phone: r.phone,
  otherEmails: d.contacts
    .filter((c) => c.person_id === r.id && c.kind === 'email')
    .map((c) => ({ address: c.value, label: c.label })),
  otherPhones: d.contacts
    .filter((c) => c.person_id === r.id && c.kind === 'phone')
    .map((c) => ({ number: c.value, label: c.label })),
  birthDate: r.birth_date,
  gender: r.gender,
  membershipStatus: r.membership_status,
  householdId: r.household_id,
  householdRole: r.household_role,
  externalIds: d.externalIds
    .filter((e) => e.target_id === r.id)
    .map((e) => ({ source: e.source, id: e.external_id })),
  // Values as stored text: the bench's churches have no custom fields.
  customFields: Object.fromEntries(
    d.values
      .filter((v) => v.person_id === r.id)
      .map((v) => [d.fieldKey.get(v.field_id!) ?? v.field_id, v.value]),
  ),
  notes: r.notes,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});
interface Details {
  contacts: Row[];
  externalIds: Row[];
  values: Row[];
  fieldKey: Map<string, string>;
}

const app = Fastify({ logger: false });
app.get('/health', async () => ({ data: { status: 'ok' } }));
app.get<{ Querystring: { limit?: string } }>('/people', async (request) => {
  const limit = Math.min(200, Math.max(1, Number(request.query.limit ?? 50) || 50));
  const rows = await query(`${PEOPLE}${placeholders(1)}`, [limit + 1]);
  const items = rows.slice(0, limit);
  const ids = items.map((r) => r.id);
  const inList = placeholders(ids.length);
  const [contacts, externalIds, fields, values] = await Promise.all([
    query(DETAILS.contacts(inList), ids),
    query(DETAILS.externalIds(inList), ids),
    query(DETAILS.fields(), []),
    query(DETAILS.values(inList), ids),
  ]);
  const fieldKey = new Map(fields.map((f) => [f.id!, f.key!]));
  const last = items.at(-1);
  const nextCursor =
    rows.length > limit && last
      ? Buffer.from(JSON.stringify([last.last_name_key, last.first_name_key, last.id])).toString('base64url')
      : null;
  return {
    data: items.map((r) => person(r, { contacts, externalIds, values, fieldKey })),
    meta: { nextCursor, limit },
  };
});
const address = await app.listen({ host: '127.0.0.1', port: Number(arg('port') ?? 0) });
console.log(`limit server listening on ${address}`);
