import Database from 'better-sqlite3';
import Fastify from 'fastify';
import pg from 'pg';

/**
 * The limit the tenancy-overhead bench compares Steeple with: the least a Node server can do to
 * answer `GET /api/people?limit=20` with the same JSON. Fastify with no logging, no hooks and no
 * schemas, one prepared statement on one church's database (a better-sqlite3 handle, or a pg pool
 * of 2 as Steeple keeps per church), rows mapped and paged as the API does. `GET /health` is a
 * trivial Fastify route answering what `GET /api/health` answers. No Steeple code on purpose.
 *
 * node --import tsx bench/limit-server.ts --port <n> (--sqlite <file> | --pg <url>)
 */
const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? undefined : process.argv[i + 1];
};

const SQL = `select "people".*, "hm"."household_id" from "people"
  left join "household_members" as "hm" on "hm"."person_id" = "people"."id"
  order by "people"."last_name_key", "people"."first_name_key", "people"."id" limit `;

type Row = Record<string, string | null>;
let query: (limit: number) => Promise<Row[]> | Row[];
const file = arg('sqlite');
const url = arg('pg');
if (file) {
  const stmt = new Database(file, { readonly: true }).prepare(`${SQL}?`);
  query = (limit) => stmt.all(limit) as Row[];
} else if (url) {
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  query = async (limit) => (await pool.query({ name: 'people', text: `${SQL}$1`, values: [limit] })).rows;
} else {
  throw new Error('--sqlite <file> or --pg <url>');
}

const person = (r: Row) => ({
  id: r.id,
  firstName: r.first_name,
  lastName: r.last_name,
  preferredName: r.preferred_name,
  email: r.email,
  phone: r.phone,
  birthDate: r.birth_date,
  gender: r.gender,
  membershipStatus: r.membership_status,
  householdId: r.household_id,
  notes: r.notes,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

const app = Fastify({ logger: false });
app.get('/health', async () => ({ data: { status: 'ok' } }));
app.get<{ Querystring: { limit?: string } }>('/people', async (request) => {
  const limit = Math.min(200, Math.max(1, Number(request.query.limit ?? 50) || 50));
  const rows = await query(limit + 1);
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  const nextCursor =
    rows.length > limit && last
      ? Buffer.from(JSON.stringify([last.last_name_key, last.first_name_key, last.id])).toString('base64url')
      : null;
  return { data: items.map(person), meta: { nextCursor, limit } };
});
const address = await app.listen({ host: '127.0.0.1', port: Number(arg('port') ?? 0) });
console.log(`limit server listening on ${address}`);
