import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, expect, inject } from 'vitest';
import { coverage, takeViolations } from './contract-log.js';

/**
 * Vitest setup file: a test whose requests got an answer the OpenAPI document does not allow
 * fails here, with every violation listed; each file then reports the operations it saw succeed,
 * for the coverage check of the global teardown (test/helpers/global-setup.ts).
 */
function failOnViolations(when: string) {
  const found = takeViolations();
  if (found.length)
    throw new Error(`API contract violated (${when}):\n- ${[...new Set(found)].join('\n- ')}`);
}

afterEach(() => failOnViolations('answers to this test'));
afterAll(() => {
  const dir = inject('apiCoverageDir');
  const file = expect.getState().testPath ?? 'unknown';
  const name = `${path.relative(process.cwd(), file).replaceAll(path.sep, '_')}.json`;
  fs.writeFileSync(path.join(dir, name), JSON.stringify({ file, ...coverage() }));
  failOnViolations('answers after the last test');
});
