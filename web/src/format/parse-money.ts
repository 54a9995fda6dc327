/**
 * Typed money ("1,234.50", "12,50", "1.234,50", "1 234,50", "$12", "12 €", "¥1,200") as minor
 * units of a currency with `digits` decimals; undefined when it is not an amount. `groupSeparator`
 * is the locale's thousands separator: it decides the one ambiguous case, a single "," or "."
 * followed by exactly three digits ("1,234" is 1234 in en-US and 1.234 in de-DE).
 *
 * Written by hand: Intl formats numbers but does not parse them, and a wrong guess here records a
 * gift 100 times too large ("12,50" read as 1250), so every shape it cannot read is refused.
 */
export function parseMinorUnits(text: string, digits: number, groupSeparator: string): number | undefined {
  // A currency sign or code may stand before or after the number; nothing else may, a minus included.
  const number = /^[^\d.,-]*?(\d[\d.,'’\s]*|[.,]\d+)[^\d.,-]*$/u.exec(text.trim())?.[1]?.trimEnd();
  if (number === undefined) return undefined;
  // Spaces and apostrophes only ever group thousands ("1 234", "1'234").
  if (/['’\s](?!\d{3}(\D|$))/u.test(number)) return undefined;
  const kept = number.replace(/['’\s]/gu, '');
  const marks = kept.replace(/\d/g, '');
  let whole = kept;
  let fraction = '';
  if (marks.length > 0) {
    const last = marks.at(-1)!;
    const lastAt = kept.lastIndexOf(last);
    const tail = kept.slice(lastAt + 1);
    // The last mark is the decimal point unless it can only group: the one kind of mark seen twice
    // ("1,234,567"), or once before three digits where the locale groups with it (or the currency
    // has no decimals at all).
    const grouping =
      new Set(marks).size === 1 &&
      (marks.length > 1 || (tail.length === 3 && (groupSeparator === last || digits === 0)));
    if (!grouping) {
      whole = kept.slice(0, lastAt);
      fraction = tail;
      if (whole.includes(last)) return undefined; // a decimal mark twice: "1.2.50"
    }
    if (!validGroups(whole)) return undefined;
    whole = whole.replace(/[.,]/g, '');
  }
  if (fraction.length > digits || (whole === '' && fraction === '')) return undefined;
  return Number(whole || '0') * 10 ** digits + Number(fraction.padEnd(digits, '0') || '0');
}

/**
 * Group marks only where they can be: one kind of mark, three digits after each, and two or three
 * between them (Indian "1,23,456" as well as "1,234,567").
 */
function validGroups(whole: string): boolean {
  if (!/[.,]/.test(whole)) return true;
  if (new Set(whole.replace(/\d/g, '')).size > 1) return false;
  const [first, ...rest] = whole.split(/[.,]/);
  return (
    /^\d{1,3}$/.test(first!) &&
    rest.every((g, i) => (i === rest.length - 1 ? /^\d{3}$/ : /^\d{2,3}$/).test(g))
  );
}
