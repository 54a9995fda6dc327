import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestStack, type TestStack } from '../helpers/app.js';

/**
 * Every answer carries helmet's API headers (no CSP: HTML routes set their own), whatever its
 * status: a success, a refused token, an unknown route, a validation error.
 */
const EXPECTED = {
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'origin-agent-cluster': '?1',
  'referrer-policy': 'no-referrer',
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
  'x-content-type-options': 'nosniff',
  'x-dns-prefetch-control': 'off',
  'x-download-options': 'noopen',
  'x-frame-options': 'SAMEORIGIN',
  'x-permitted-cross-domain-policies': 'none',
  'x-xss-protection': '0',
};

let stack: TestStack;
beforeAll(async () => {
  stack = await createTestStack('sqlite');
});
afterAll(() => stack.close());

describe('security headers', () => {
  it.each([
    ['GET', '/api/health', 200],
    ['GET', '/api/people', 401],
    ['GET', '/api/no-such-route', 404],
    ['POST', '/api/auth/login', 400],
  ] as const)('%s %s (%i) carries every one of them', async (method, url, status) => {
    const res = await stack.app.inject({ method, url, payload: method === 'POST' ? {} : undefined });
    expect(res.statusCode).toBe(status);
    for (const [name, value] of Object.entries(EXPECTED)) expect(res.headers[name], name).toBe(value);
    expect(res.headers['content-security-policy']).toBeUndefined();
    expect(res.headers['x-powered-by']).toBeUndefined();
  });
});
