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
    httpPart === 'body' && isFileBody(schema)
      ? acceptBytes
      : validateOnFirstUse(() =>
          (httpPart === 'body' ? strict : coercing).compile(withTextRules(schema) as object),
        ),
  );
}

/** A file upload's schema: a binary string in the API document, bytes on the wire. */
function isFileBody(schema: unknown): boolean {
  const s = schema as { type?: unknown; format?: unknown };
  return s.type === 'string' && s.format === 'binary';
}

// A file body is handed over by its route's parser as the bytes received (a Buffer): no copy of
// tens of megabytes into a string and back, which held the event loop for the whole node. What
// the bytes may contain is the route's business (an import checks every cell).
const acceptBytes = Object.assign((data: unknown) => Buffer.isBuffer(data), {
  errors: [
    { keyword: 'type', instancePath: '', schemaPath: '#/type', params: {}, message: 'must be a file' },
  ],
});
