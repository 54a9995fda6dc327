import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lintApiDocument } from '../../scripts/lint-api-document.js';
import { createTestStack, type TestStack } from '../helpers/app.js';

let stack: TestStack;
beforeAll(async () => {
  stack = await createTestStack('sqlite');
});
afterAll(() => stack.close());

describe('the served OpenAPI document', () => {
  it('passes Redocly lint (recommended rules, as amended in redocly.yaml) with no error and no warning', async () => {
    const res = await stack.app.inject({ url: '/api/openapi.json' });
    const result = await lintApiDocument(res.json());
    expect(result.problems).toEqual([]);
    expect({ errors: result.errors, warnings: result.warnings }).toEqual({ errors: 0, warnings: 0 });
  }, 60_000);
});
