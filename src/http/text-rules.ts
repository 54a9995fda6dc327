import type { Ajv, SchemaValidateFunction } from 'ajv';

/**
 * The keyword that says what a string in a request may contain. The validator adds it to every
 * string of every request schema (query, params, body), so no route can forget it:
 * - `line` (the default): no control characters at all (C0 and DEL): no NUL, no tab, no newline;
 * - `multiline` (free text such as notes, marked by `multiline()`): tab, newline and carriage
 *   return allowed, the other controls not;
 * - `name` (every property called `name` or `...Name`): a line that is not blank and carries no
 *   bidirectional override or isolate, which would make a name display as something else.
 * A raw string body (a CSV upload) is content, not a field: its route checks it.
 */
export const TEXT_RULE = 'x-text';
export type TextKind = 'line' | 'multiline' | 'name';

// biome-ignore lint/suspicious/noControlCharactersInRegex: the characters to refuse
const LINE_CONTROLS = /[\u0000-\u001F\u007F]/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: the characters to refuse
const TEXT_CONTROLS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/;
const NAME_PROPERTY = /^(name|[a-z][A-Za-z]*Name)$/;

const MESSAGES: Record<TextKind, string> = {
  line: 'must not contain control characters',
  multiline: 'must not contain control characters other than tab and line breaks',
  name: 'must not be blank or contain control characters or bidirectional overrides',
};

function valid(kind: TextKind, s: string): boolean {
  if (kind === 'multiline') return !TEXT_CONTROLS.test(s);
  if (LINE_CONTROLS.test(s)) return false;
  // An empty string is minLength's to refuse (one error per field); blank means spaces only.
  return kind === 'line' || s === '' || (s.trim() !== '' && !BIDI_CONTROLS.test(s));
}

/** Free text that may span lines (notes, descriptions). */
export function multiline<T extends object>(schema: T): T {
  return { ...schema, [TEXT_RULE]: 'multiline' };
}

/** Teaches an Ajv instance the text rule keyword. */
export function addTextRule(ajv: Ajv): Ajv {
  const validate: SchemaValidateFunction = (kind: TextKind, data: string): boolean => {
    if (valid(kind, data)) return true;
    validate.errors = [{ keyword: TEXT_RULE, message: MESSAGES[kind], params: {} }];
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
      Object.entries(copy.properties).map(([k, v]) => [
        k,
        mark(v, NAME_PROPERTY.test(k) ? 'name' : undefined),
      ]),
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
