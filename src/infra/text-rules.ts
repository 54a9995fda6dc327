/**
 * What a piece of text may contain, wherever it comes from (a request field, a cell of an
 * imported file):
 * - `line`: no control characters at all (C0 and DEL): no NUL, no tab, no newline;
 * - `multiline` (free text such as notes): tab, newline and carriage return allowed, the other
 *   controls not;
 * - `name` (anything called `name` or `...Name`): a line that is not blank and carries no
 *   bidirectional override or isolate, which would make a name display as something else.
 */
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

/** True for a property (or field) that holds a name: `name`, `firstName`, `householdName`, ... */
export const isNameProperty = (key: string) => NAME_PROPERTY.test(key);

/** What is wrong with `s` as text of this kind, or null when nothing is. */
export function textProblem(kind: TextKind, s: string): string | null {
  return valid(kind, s) ? null : MESSAGES[kind];
}

function valid(kind: TextKind, s: string): boolean {
  if (kind === 'multiline') return !TEXT_CONTROLS.test(s);
  if (LINE_CONTROLS.test(s)) return false;
  // An empty string is minLength's to refuse (one error per field); blank means spaces only.
  return kind === 'line' || s === '' || (s.trim() !== '' && !BIDI_CONTROLS.test(s));
}
