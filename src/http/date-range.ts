import type { Ajv, SchemaValidateFunction } from 'ajv';

/**
 * `'x-date-range': [from, to]` on a `format: 'date'` string: the day must lie between the two
 * (inclusive). A vendor keyword because the standard-looking `formatMinimum` of ajv-formats is
 * not OpenAPI, and the document must lint clean; ISO dates compare as text.
 */
export const DATE_RANGE = 'x-date-range';

export function addDateRange(ajv: Ajv): Ajv {
  const validate: SchemaValidateFunction = ([from, to]: [string, string], data: string): boolean => {
    if (data >= from && data <= to) return true;
    validate.errors = [{ keyword: DATE_RANGE, message: `must be a date from ${from} to ${to}`, params: {} }];
    return false;
  };
  return ajv.addKeyword({ keyword: DATE_RANGE, type: 'string', schemaType: 'array', errors: true, validate });
}
