import { isNameProperty, type TextKind, textProblem } from '../../infra/text-rules.js';

/** Fields whose cells are free text: they may hold tabs and line breaks. */
const FREE_TEXT = /^(notes?|custom\..+)$/;

/** The text kind of an import field: names as the API checks names, free text, else one line. */
function kindOf(field: string): TextKind {
  // A gift's fund cell names a fund (the fund it creates, with createFunds=true).
  if (field === 'fund' || isNameProperty(field)) return 'name';
  return FREE_TEXT.test(field) ? 'multiline' : 'line';
}

/**
 * What the API's text rule says about a cell filling `field` (a bidirectional override in a name,
 * a control character in a line), or null when nothing: an import stores nothing a request could
 * not.
 */
export const cellTextProblem = (field: string, value: string) => textProblem(kindOf(field), value);
