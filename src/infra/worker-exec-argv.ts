import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

/**
 * Node arguments for a worker thread running `filename`: from TypeScript sources (tsx, tests)
 * the worker needs the same loader as this thread, by absolute URL since a worker resolves
 * `--import` from the working directory; compiled JavaScript needs none.
 */
export function workerExecArgv(filename: string): string[] {
  if (!filename.endsWith('.ts')) return [];
  return ['--import', pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href];
}
