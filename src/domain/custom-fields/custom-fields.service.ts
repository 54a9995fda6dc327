import { v7 as uuidv7 } from 'uuid';
import { Errors, type FieldError } from '../../errors/app-error.js';
import { isUniqueViolation } from '../../infra/db/errors.js';
import type { TenantDb } from '../../tenancy/tenant-database.js';
import { type Actor, appendAudit } from '../audit/audit.repository.js';
import { apiValue, type FieldDef, type FieldValue, fieldDefOf, storedValue } from './custom-field-value.js';
import * as repo from './custom-fields.repository.js';
import type { CustomFieldType } from './custom-fields.table.js';

/** At most this many fields per church: every person read loads them all. */
export const MAX_CUSTOM_FIELDS = 100;

export interface CustomFieldInput {
  key: string;
  label: string;
  type: CustomFieldType;
  choices?: string[];
  position?: number;
}
export type CustomFieldPatch = Partial<Pick<CustomFieldInput, 'label' | 'choices' | 'position'>>;

export const CustomFieldErrors = {
  notFound: () => Errors.notFound('custom field'),
  duplicate: () => Errors.conflict('A custom field with this key already exists.'),
  tooMany: () => Errors.conflict(`A church has at most ${MAX_CUSTOM_FIELDS} custom fields.`),
  choiceInUse: (n: number) =>
    Errors.conflict(`A removed choice is still held by ${n} person(s); change their values first.`),
  invalid: (path: string, message: string) => Errors.validation([{ path, message }]),
};

/** The API shape of a definition. */
export const toCustomField = (d: FieldDef) => ({
  id: d.id,
  key: d.key,
  label: d.label,
  type: d.type,
  choices: d.choices,
  position: d.position,
});
export type CustomField = ReturnType<typeof toCustomField>;

export async function fieldDefs(db: TenantDb): Promise<FieldDef[]> {
  return (await repo.listFields(db)).map(fieldDefOf);
}

export async function listCustomFields(db: TenantDb): Promise<CustomField[]> {
  return (await fieldDefs(db)).map(toCustomField);
}

async function mustFind(db: TenantDb, id: string): Promise<FieldDef> {
  const row = await repo.findField(db, id);
  if (!row) throw CustomFieldErrors.notFound();
  return fieldDefOf(row);
}

export async function getCustomField(db: TenantDb, id: string): Promise<CustomField> {
  return toCustomField(await mustFind(db, id));
}

function checkChoices(type: CustomFieldType, choices: string[] | undefined): string[] | null {
  if (type !== 'choice') {
    if (choices !== undefined)
      throw CustomFieldErrors.invalid('/body/choices', 'only choice fields have choices');
    return null;
  }
  if (!choices?.length) throw CustomFieldErrors.invalid('/body/choices', 'a choice field needs its choices');
  const lower = choices.map((c) => c.toLowerCase());
  if (new Set(lower).size !== lower.length)
    throw CustomFieldErrors.invalid('/body/choices', 'choices must differ (ignoring case)');
  return choices;
}

export async function createCustomField(db: TenantDb, actor: Actor, input: CustomFieldInput) {
  const choices = checkChoices(input.type, input.choices);
  try {
    return await db.transaction().execute(async (trx) => {
      const existing = await repo.listFields(trx);
      if (existing.some((f) => f.key === input.key)) throw CustomFieldErrors.duplicate();
      if (existing.length >= MAX_CUSTOM_FIELDS) throw CustomFieldErrors.tooMany();
      const now = new Date().toISOString();
      const row = {
        id: uuidv7(),
        key: input.key,
        label: input.label,
        type: input.type,
        choices: choices && JSON.stringify(choices),
        position: input.position ?? existing.reduce((max, f) => Math.max(max, f.position + 1), 0),
        created_at: now,
        updated_at: now,
      };
      await repo.insertField(trx, row);
      const after = toCustomField(fieldDefOf(row));
      await appendAudit(trx, actor, { action: 'create', entity: 'custom_field', entityId: row.id, after });
      return after;
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw CustomFieldErrors.duplicate();
    throw err;
  }
}

export async function updateCustomField(db: TenantDb, actor: Actor, id: string, patch: CustomFieldPatch) {
  return db.transaction().execute(async (trx) => {
    const before = await mustFind(trx, id);
    let choices = before.choices;
    if (patch.choices !== undefined) {
      choices = checkChoices(before.type, patch.choices);
      const kept = new Set(choices!);
      const removed = (before.choices ?? []).filter((c) => !kept.has(c));
      const held = await repo.countValuesIn(trx, id, removed);
      if (held > 0) throw CustomFieldErrors.choiceInUse(held);
    }
    const after: FieldDef = {
      ...before,
      label: patch.label ?? before.label,
      position: patch.position ?? before.position,
      choices,
    };
    await repo.updateField(trx, id, {
      label: after.label,
      position: after.position,
      choices: choices && JSON.stringify(choices),
      updated_at: new Date().toISOString(),
    });
    await appendAudit(trx, actor, {
      action: 'update',
      entity: 'custom_field',
      entityId: id,
      before: toCustomField(before),
      after: toCustomField(after),
    });
    return toCustomField(after);
  });
}

/** Deletes a definition and every person's value of it (the audit row keeps the definition). */
export async function deleteCustomField(db: TenantDb, actor: Actor, id: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const before = await mustFind(trx, id);
    await repo.deleteField(trx, id);
    await appendAudit(trx, actor, {
      action: 'delete',
      entity: 'custom_field',
      entityId: id,
      before: toCustomField(before),
    });
  });
}

/** Values keyed by field key, for the API and audit. */
export type CustomValues = Record<string, FieldValue>;

/** The custom values of each of `personIds` (every id gets an object, maybe empty). */
export async function customValuesOf(
  db: TenantDb,
  personIds: readonly string[],
  defs?: FieldDef[],
): Promise<Map<string, CustomValues>> {
  const fields = defs ?? (await fieldDefs(db));
  const byId = new Map(fields.map((f) => [f.id, f]));
  const stored = await repo.valuesOf(db, personIds);
  const out = new Map<string, CustomValues>();
  for (const id of personIds) {
    const values: CustomValues = {};
    for (const [fieldId, text] of stored.get(id) ?? []) {
      const f = byId.get(fieldId);
      if (f) values[f.key] = apiValue(f, text);
    }
    out.set(id, values);
  }
  return out;
}

/**
 * Checks a request's `customFields` against the definitions: unknown keys and bad values are
 * one 400 naming every offending field; null clears a value.
 */
export function resolveValues(
  defs: FieldDef[],
  input: Record<string, FieldValue | null>,
  path = '/body/customFields',
): Array<{ fieldId: string; text: string | null }> {
  const byKey = new Map(defs.map((d) => [d.key, d]));
  const errors: FieldError[] = [];
  const out: Array<{ fieldId: string; text: string | null }> = [];
  for (const [key, value] of Object.entries(input)) {
    const def = byKey.get(key);
    if (!def) {
      errors.push({ path: `${path}/${key}`, message: 'is not a custom field of this church' });
      continue;
    }
    if (value === null) {
      out.push({ fieldId: def.id, text: null });
      continue;
    }
    const stored = storedValue(def, value);
    if ('error' in stored) errors.push({ path: `${path}/${key}`, message: `${def.label} ${stored.error}` });
    else out.push({ fieldId: def.id, text: stored.text });
  }
  if (errors.length)
    throw Errors.validation(
      errors,
      `Custom field values are not valid: ${errors.map((e) => e.path.split('/').pop()).join(', ')}.`,
    );
  return out;
}

export async function writeCustomValues(
  db: TenantDb,
  personId: string,
  values: Array<{ fieldId: string; text: string | null }>,
) {
  await repo.writeValues(db, personId, values);
}

/** A people-list filter `key:value` as (field id, stored text); an unknown key or bad value is a 400. */
export async function resolveFilter(db: TenantDb, filter: string, path = '/query/field') {
  const at = filter.indexOf(':');
  if (at <= 0) throw CustomFieldErrors.invalid(path, 'must be key:value');
  const key = filter.slice(0, at);
  const raw = filter.slice(at + 1);
  const def = (await fieldDefs(db)).find((d) => d.key === key);
  if (!def) throw CustomFieldErrors.invalid(path, `"${key}" is not a custom field of this church`);
  const value: FieldValue =
    def.type === 'number' ? Number(raw) : def.type === 'yes_no' ? raw === 'true' || raw === 'yes' : raw;
  const stored = storedValue(def, value);
  if ('error' in stored) throw CustomFieldErrors.invalid(path, `${def.label} ${stored.error}`);
  return { fieldId: def.id, text: stored.text };
}
