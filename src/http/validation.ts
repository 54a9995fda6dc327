import { Ajv, type Options } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { FastifyInstance } from 'fastify';
import { validateOnFirstUse } from './compile-on-first-use.js';
import { addTextRule, withTextRules } from './text-rules.js';
import { addDateRange } from './date-range.js';

// ajv-formats ships CommonJS with a default export object.
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

const base: Options = { allErrors: true, removeAdditional: false, useDefaults: true, strict: false };

/**
 * Two Ajv instances: bodies are validated strictly (a "100" string is not a number, so money and
 * counts arrive exactly as sent), while query strings and params are strings by nature and coerced.
 * Every string of every request schema gets the text rule (text-rules.ts): no control characters.
 */
export function installValidation(app: FastifyInstance) {
  const strict = addDateRange(addTextRule(addFormats(new Ajv({ ...base, coerceTypes: false }))));
  const coercing = addDateRange(addTextRule(addFormats(new Ajv({ ...base, coerceTypes: 'array' }))));
  app.setValidatorCompiler(({ schema, httpPart }) =>
    validateOnFirstUse(() =>
      (httpPart === 'body' ? strict : coercing).compile(withTextRules(schema) as object),
    ),
  );
}
