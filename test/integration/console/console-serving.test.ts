import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../../src/app.js';
import { CONSOLE_CSP, CONSOLE_PAGES } from '../../../src/http/console.routes.js';
import { ROOT } from '../../helpers/process.js';
import { buildTestApp, createTestStack, type TestStack } from '../../helpers/app.js';
import { tempDataDir } from '../../helpers/config.js';

const INDEX =
  '<!doctype html><html><head><script type="module" src="/assets/index-abc123.js"></script></head></html>';

describe('the console served at /', () => {
  let stack: TestStack;
  let app: App;
  let unbuilt: App;
  const dir = tempDataDir();

  beforeAll(async () => {
    fs.mkdirSync(path.join(dir.dir, 'dist', 'assets'), { recursive: true });
    fs.writeFileSync(path.join(dir.dir, 'dist', 'index.html'), INDEX);
    fs.writeFileSync(path.join(dir.dir, 'dist', 'assets', 'index-abc123.js'), 'console.log(1)');
    stack = await createTestStack('sqlite');
    app = await buildTestApp(stack.services.deps, { consoleDir: path.join(dir.dir, 'dist') });
    unbuilt = await buildTestApp(stack.services.deps, { consoleDir: path.join(dir.dir, 'missing') });
  });
  afterAll(async () => {
    await app.close();
    await unbuilt.close();
    await stack.close();
    dir.cleanup();
  });

  it('answers index.html for page paths, uncached, under the strict CSP with the helmet headers', async () => {
    for (const url of ['/', '/people', '/people/0193/edit?x=1', '/sign-in']) {
      const res = await app.inject({ url });
      expect(res.statusCode, url).toBe(200);
      expect(res.body).toBe(INDEX);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(res.headers['content-security-policy']).toBe(CONSOLE_CSP);
      expect(res.headers['cache-control']).toBe('no-cache');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['strict-transport-security']).toBeDefined();
      expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
    }
    expect(CONSOLE_CSP).toContain("script-src 'self'");
    expect(CONSOLE_CSP).not.toMatch(/script-src[^;]*unsafe/);
  });

  it("answers every page of the console's router, and only those", async () => {
    const routes = fs.readFileSync(path.join(ROOT, 'web/src/app-routes.tsx'), 'utf8');
    const tops = new Set([...routes.matchAll(/path="\/?([a-z-]+)/g)].map((m) => m[1]!));
    expect([...tops].sort()).toEqual([...CONSOLE_PAGES].sort());
    for (const top of CONSOLE_PAGES) {
      for (const url of [`/${top}`, `/${top}/0193-abc/edit`]) {
        const res = await app.inject({ url });
        expect(res.statusCode, url).toBe(200);
        expect(res.body).toBe(INDEX);
      }
    }
    const unknown = await app.inject({ url: '/wp-admin/setup.php' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('serves hashed assets with a year-long immutable cache; a missing asset is 404', async () => {
    const res = await app.inject({ url: '/assets/index-abc123.js' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe('console.log(1)');
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect((await app.inject({ url: '/assets/nope-123.js' })).statusCode).toBe(404);
    expect((await app.inject({ url: '/assets/../index.html' })).body).not.toBe('console.log(1)');
  });

  it('never answers a page for /api: unknown API paths stay 404 problems; the API reference still works', async () => {
    for (const url of ['/api', '/api/nope', '/api/people/x/nope']) {
      const res = await app.inject({ url });
      expect(res.statusCode, url).toBe(404);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
    expect((await app.inject({ url: '/api/health' })).statusCode).toBe(200);
    // The router's own refusals stand: a path parameter over 100 characters is a 414.
    expect((await app.inject({ url: `/api/people/${'x'.repeat(120)}` })).statusCode).toBe(414);
    const docs = await app.inject({ url: '/api/docs/' });
    expect(docs.statusCode).toBe(200);
    expect(docs.headers['content-type']).toMatch(/text\/html/);
    expect(docs.headers['content-security-policy']).not.toBe(CONSOLE_CSP);
  });

  it('says how to build the console when it is not built', async () => {
    const res = await unbuilt.inject({ url: '/' });
    expect(res.statusCode).toBe(503);
    expect(res.json().detail).toMatch(/npm run build:web/);
  });
});
