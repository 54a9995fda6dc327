import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Piscina } from 'piscina';

type PoolOptions = Omit<NonNullable<ConstructorParameters<typeof Piscina>[0]>, 'filename' | 'execArgv'>;

/**
 * Worker threads (piscina) running `<name>.worker.ts` (or `.js` when compiled) beside `from`:
 * the pool, and the modules its worker loads, start on first use only; idle threads exit.
 */
export class LazyWorkerPool<In, Out> {
  private pool: Promise<Piscina> | undefined;
  private readonly filename: string;

  constructor(
    from: string,
    name: string,
    private readonly options: PoolOptions,
  ) {
    this.filename = path.join(path.dirname(from), `${name}.worker${path.extname(from)}`);
  }

  async run(task: In): Promise<Out> {
    this.pool ??= this.start();
    return (await this.pool).run(task);
  }

  async close(): Promise<void> {
    const pool = this.pool;
    this.pool = undefined;
    if (pool) await (await pool).destroy();
  }

  private async start(): Promise<Piscina> {
    const { Piscina } = await import('piscina');
    return new Piscina({ ...this.options, filename: this.filename, execArgv: execArgvFor(this.filename) });
  }
}

// From TypeScript sources (tsx, tests) a worker needs the same loader as this thread, by absolute
// URL since a worker resolves `--import` from the working directory; compiled JavaScript none.
function execArgvFor(filename: string): string[] {
  if (!filename.endsWith('.ts')) return [];
  return ['--import', pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href];
}
