import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_TYPES_FILE, renderApiTypes } from '../../scripts/render-api-types.js';
import { createTestStack, type TestStack } from '../helpers/app.js';
import { ROOT } from '../helpers/process.js';

let stack: TestStack;
beforeAll(async () => {
  stack = await createTestStack('sqlite');
});
afterAll(() => stack.close());

describe(API_TYPES_FILE, () => {
  it('is what openapi-typescript makes of the served document (run `npm run api:types` after an API change)', async () => {
    const doc = (await stack.app.inject({ url: '/api/openapi.json' })).json();
    const expected = await renderApiTypes(doc);
    const actual = fs.readFileSync(path.join(ROOT, API_TYPES_FILE), 'utf8');
    // Compared whole, but reported by first differing line: a 5,000-line diff helps nobody.
    const a = actual.split('\n');
    const e = expected.split('\n');
    const line = e.findIndex((l, i) => l !== a[i]);
    expect(
      line === -1 && a.length === e.length,
      `first difference at line ${line + 1}: ${a[line]} / ${e[line]}`,
    ).toBe(true);
  });
});
