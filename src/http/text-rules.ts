import type { Ajv, SchemaValidateFunction } from 'ajv';
import { isNameProperty, type TextKind, textProblem } from '../infra/text-rules.js';

/**
 * The keyword that says what a string in a request may contain (the text kinds of
 * `infra/text-rules.ts`, which imports apply to their cells too). The validator adds it to every
 * string of every request schema (query, params, body), so no route can forget it: `line` by
 * default, `multiline` where `multiline()` marks free text, `name` on every property called
 * `name` or `...Name`. A raw string body (a CSV upload) is content, not a field: its route
 * checks it.
 */
export const TEXT_RULE = 'x-text';

/** Free text that may span lines (notes, descriptions). */
export function multiline<T extends object>(schema: T): T {
  return { ...schema, [TEXT_RULE]: 'multiline' };
}

/** Teaches an Ajv instance the text rule keyword. */
export function addTextRule(ajv: Ajv): Ajv {
  const validate: SchemaValidateFunction = (kind: TextKind, data: string): boolean => {
    const problem = textProblem(kind, data);
    if (problem === null) return true;
    validate.errors = [{ keyword: TEXT_RULE, message: problem, params: {} }];
    return false;
  };
  return ajv.addKeyword({ keyword: TEXT_RULE, type: 'string', schemaType: 'string', errors: true, validate });
}

type Schema = Record<string, unknown>;

/**
 * A copy of a request schema with the text rule on every string nested in it (the route's own
 * schema, which the API document is built from, is left as it is).
 */
export function withTextRules(schema: unknown): unknown {
  if (!isSchema(schema) || isString(schema)) return schema;
  return mark(schema, undefined);
}

function mark(node: unknown, kind: TextKind | undefined): unknown {
  if (Array.isArray(node)) return node.map((n) => mark(n, kind));
  if (!isSchema(node)) return node;
  const copy: Schema = { ...node };
  if (isString(copy) && copy[TEXT_RULE] === undefined) copy[TEXT_RULE] = kind ?? 'line';
  for (const key of ['items', 'anyOf', 'oneOf', 'allOf', 'not', 'additionalProperties'] as const) {
    if (key in copy) copy[key] = mark(copy[key], kind);
  }
  if (isSchema(copy.properties)) {
    copy.properties = Object.fromEntries(
      Object.entries(copy.properties).map(([k, v]) => [k, mark(v, isNameProperty(k) ? 'name' : undefined)]),
    );
  }
  return copy;
}

function isSchema(v: unknown): v is Schema {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isString(s: Schema): boolean {
  return s.type === 'string' || (Array.isArray(s.type) && s.type.includes('string'));
}
