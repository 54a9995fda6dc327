#!/usr/bin/env node
// Runs the compiled CLI (`npm run build`, done by `npm ci`); a checkout that was never built
// falls back to the TypeScript sources through tsx, so the command works either way.
import fs from 'node:fs';

const compiled = new URL('../dist/src/cli/main.js', import.meta.url);
if (fs.existsSync(compiled)) {
  await import(compiled.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/main.ts');
}
