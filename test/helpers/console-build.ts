import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from './process.js';

const WEB = path.join(ROOT, 'web');
export const CONSOLE_DIST = path.join(WEB, 'dist');
const MANIFEST = path.join(CONSOLE_DIST, '.vite', 'manifest.json');
const LOCK = path.join(WEB, '.build-lock');

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(p) : fs.statSync(p).mtimeMs);
  }
  return newest;
}

const stale = () =>
  !fs.existsSync(MANIFEST) ||
  fs.statSync(MANIFEST).mtimeMs <
    Math.max(
      newestSource(path.join(WEB, 'src')),
      fs.statSync(path.join(WEB, 'index.html')).mtimeMs,
      fs.statSync(path.join(WEB, 'vite.config.ts')).mtimeMs,
    );

/**
 * Builds the console into web/dist unless the build is newer than every source, so the browser
 * tests see the code as it is. Test files run in parallel: a lock directory lets one build.
 */
export async function ensureConsoleBuilt(): Promise<void> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      fs.mkdirSync(LOCK);
      break;
    } catch {
      // A lock left by a killed run is older than any build takes.
      if (Date.now() - (fs.statSync(LOCK, { throwIfNoEntry: false })?.mtimeMs ?? Date.now()) > 120_000)
        fs.rmSync(LOCK, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error('timed out waiting for another console build');
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  try {
    if (stale())
      execFileSync(
        process.execPath,
        [
          path.join(ROOT, 'node_modules/vite/bin/vite.js'),
          'build',
          '--config',
          'web/vite.config.ts',
          '--logLevel',
          'warn',
        ],
        {
          cwd: ROOT,
          stdio: 'inherit',
        },
      );
  } finally {
    fs.rmSync(LOCK, { recursive: true, force: true });
  }
}

/** The built console's files the first screen loads: the entry chunk and everything it imports. */
export function firstScreenChunks(): string[] {
  const manifest = JSON.parse(fs.readFileSync(MANIFEST, 'utf8')) as Record<
    string,
    { file: string; isEntry?: boolean; imports?: string[] }
  >;
  const entry = Object.keys(manifest).find((k) => manifest[k]!.isEntry)!;
  const seen = new Set<string>();
  const walk = (key: string) => {
    if (seen.has(key)) return;
    seen.add(key);
    for (const i of manifest[key]!.imports ?? []) walk(i);
  };
  walk(entry);
  return [...seen].map((k) => path.join(CONSOLE_DIST, manifest[k]!.file));
}
