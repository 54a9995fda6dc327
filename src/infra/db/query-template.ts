import {
  type Compilable,
  type CompiledQuery,
  createQueryId,
  type Kysely,
  type RootOperationNode,
} from 'kysely';

/**
 * A query that Kysely builds and compiles once per shape and dialect, then runs with each call's
 * values. Building and compiling a query costs several times more than SQLite takes to run a
 * small one: on `GET /api/people` (five queries) it was about a third of the handler's CPU.
 *
 *   const contactsOf = queryTemplate((db: TenantDb, a: { ids: readonly string[] }) =>
 *     db.selectFrom('person_contacts').selectAll().where('person_id', 'in', a.ids));
 *   const rows = await contactsOf(db, { ids });
 *
 * `build` sees placeholders in place of the strings, numbers and dates of `args`, so it may
 * branch on what is present (undefined, null, true/false are passed as they are) and on array
 * lengths, which are part of the shape, but must not look at or compute with a value: do that
 * before the call and pass the result. A placeholder that ends up in the SQL text or inside a
 * parameter (arithmetic, `sql.lit`, string building) fails the first call, never a later one.
 */
export function queryTemplate<DB, A extends object, R>(
  build: (db: Kysely<DB>, args: A) => Compilable<R>,
): (db: Kysely<DB>, args: A) => Promise<R[]> {
  // Per dialect (its adapter class): the same shape compiles to the same SQL on every instance.
  const byDialect = new Map<unknown, Map<string, Template>>();
  return async (db, args) => {
    const executor = db.getExecutor();
    if (executor.plugins.length > 0) throw new Error('queryTemplate: a Kysely instance with plugins');
    let templates = byDialect.get(executor.adapter.constructor);
    if (!templates) {
      templates = new Map();
      byDialect.set(executor.adapter.constructor, templates);
    }
    const values: unknown[] = [];
    const shape = shapeOf(args, values);
    let template = templates.get(shape);
    if (!template) {
      template = compileTemplate(build(db, withPlaceholders(args) as A).compile(), values.length);
      if (templates.size >= MAX_SHAPES) templates.delete(templates.keys().next().value!);
      templates.set(shape, template);
    }
    const parameters = template.parameters.map((p) => (p instanceof Placeholder ? values[p.index] : p));
    const compiled: CompiledQuery<R> = {
      sql: template.sql,
      query: template.query,
      queryId: createQueryId(),
      parameters,
    };
    return (await db.executeQuery(compiled)).rows;
  };
}

// Shapes come from bounded inputs (page sizes, filters); the bound only guards against a caller
// that passes unbounded lists.
const MAX_SHAPES = 512;
const MARK = '<queryTemplate placeholder ';

interface Template {
  sql: string;
  query: RootOperationNode;
  /** A placeholder (filled from the call's values) or a constant, per compiled parameter. */
  parameters: unknown[];
}

/** Stands in for the value at `index` while the query is built; any use as text is caught. */
class Placeholder {
  constructor(readonly index: number) {}
  toString() {
    return `${MARK}${this.index}>`;
  }
  toJSON() {
    return this.toString();
  }
  [Symbol.toPrimitive]() {
    return this.toString();
  }
}

/** Leaves that become placeholders; every other leaf is part of the shape. */
const isValue = (v: unknown) =>
  typeof v === 'string' || typeof v === 'number' || typeof v === 'bigint' || v instanceof Date;

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype;

/** The shape of `v` as a key; collects its values, in order, into `values`. */
function shapeOf(v: unknown, values: unknown[]): string {
  if (isValue(v)) {
    values.push(v);
    return '?';
  }
  if (Array.isArray(v)) return `[${v.map((x) => shapeOf(x, values)).join(',')}]`;
  if (isRecord(v)) {
    let key = '{';
    for (const k in v) key += `${k}:${shapeOf(v[k], values)},`;
    return `${key}}`;
  }
  if (v === undefined || v === null || typeof v === 'boolean') return String(v);
  throw new Error(`queryTemplate: cannot take a ${typeof v} argument`);
}

/** `v` with placeholders numbered as shapeOf collects the values. */
function withPlaceholders(v: unknown, next = { index: 0 }): unknown {
  if (isValue(v)) return new Placeholder(next.index++);
  if (Array.isArray(v)) return v.map((x) => withPlaceholders(x, next));
  if (isRecord(v)) {
    const copy: Record<string, unknown> = {};
    for (const k in v) copy[k] = withPlaceholders(v[k], next);
    return copy;
  }
  return v;
}

function compileTemplate(compiled: CompiledQuery, valueCount: number): Template {
  const misused = (p: unknown) =>
    !(p instanceof Placeholder) && typeof p !== 'bigint' && JSON.stringify(p)?.includes(MARK);
  if (compiled.sql.includes(MARK) || compiled.parameters.some(misused))
    throw new Error(`queryTemplate: a value was used while building the query:\n${compiled.sql}`);
  for (const p of compiled.parameters)
    if (p instanceof Placeholder && p.index >= valueCount)
      throw new Error('queryTemplate: stray placeholder');
  return { sql: compiled.sql, query: compiled.query, parameters: [...compiled.parameters] };
}
