import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// The walk proves the generated types are enough only if it never overrides them.
describe('the generated-client walk', () => {
  it('has no casts and no any', () => {
    const source = fs.readFileSync(path.join(import.meta.dirname, 'client-walk.test.ts'), 'utf8');
    const code = source
      .replace(/'(?:[^'\\\n]|\\.)*'|`(?:[^`\\]|\\.)*`/g, "''")
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .replace(/\/\/.*$/gm, '');
    expect(code.match(/\bas\s+(?!const\b)[A-Za-z{[(]/g) ?? []).toEqual([]);
    // `any`, non-null assertions (`x!.y`, `x!)`) and angle-bracket casts (`= <T>x`).
    expect(code.match(/\bany\b|[\w)\]]!(?=[.)\],;])|[=(,]\s*<\w+>\s*\w/g) ?? []).toEqual([]);
  });
});
