import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { CONSOLE_DIST, ensureConsoleBuilt, firstScreenChunks } from '../helpers/console-build.js';

/** The first screen (sign-in) may load at most this much JavaScript, gzipped. */
const BUDGET_BYTES = 250 * 1024;

describe('the built console', () => {
  beforeAll(() => ensureConsoleBuilt(), 180_000);

  it(`loads at most ${BUDGET_BYTES / 1024} KB of gzipped JavaScript for its first screen`, () => {
    const js = firstScreenChunks().filter((f) => f.endsWith('.js'));
    const sizes = js.map((f) => ({
      file: path.basename(f),
      gzip: gzipSync(fs.readFileSync(f), { level: 9 }).length,
    }));
    const total = sizes.reduce((s, x) => s + x.gzip, 0);
    console.log(`first screen JS: ${(total / 1024).toFixed(1)} KB gzipped in ${sizes.length} files`);
    expect(total, JSON.stringify(sizes)).toBeLessThanOrEqual(BUDGET_BYTES);
  });

  it('has no inline script in index.html (the CSP forbids it)', () => {
    const html = fs.readFileSync(path.join(CONSOLE_DIST, 'index.html'), 'utf8');
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attrs, body] of scripts) {
      expect(attrs).toMatch(/\bsrc="\/assets\//);
      expect(body!.trim()).toBe('');
    }
  });
});
