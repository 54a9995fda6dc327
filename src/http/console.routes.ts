import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync } from 'fastify';
import fs from 'node:fs';
import path from 'node:path';
import { Errors } from '../errors/app-error.js';

/**
 * The console's policy: scripts, styles, fonts and API calls from this origin only; no inline or
 * eval'd script, no framing, no plugins. Inline styles are allowed: the component library
 * (Mantine) sets CSS variables and positions popovers through style attributes, which a
 * static page cannot carry nonces for; styles cannot run code.
 */
export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'self'",
].join('; ');

/** web/dist beside package.json (found by walking up: the same from src/ under tsx or when compiled). */
export function defaultConsoleDir(from = import.meta.dirname): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return path.join(dir, 'web', 'dist');
    if (path.dirname(dir) === dir) return path.resolve('web', 'dist');
  }
}

export interface ConsoleRoutesOptions {
  /** The built console (`npm run build:web`): index.html and assets/. */
  dir: string;
}

/**
 * The staff console at `/`: hashed assets cached for a year, index.html (never cached) for every
 * page path so the browser's router takes over. Paths under /api are never pages: an unknown
 * one stays a 404 problem.
 */
export const consoleRoutes: FastifyPluginAsync<ConsoleRoutesOptions> = async (app, { dir }) => {
  const indexFile = path.join(dir, 'index.html');
  const built = fs.existsSync(indexFile);
  if (!built) app.log.warn({ dir }, 'the console is not built (npm run build:web); / answers 503');

  if (fs.existsSync(path.join(dir, 'assets')))
    await app.register(fastifyStatic, {
      root: path.join(dir, 'assets'),
      prefix: '/assets/',
      // Vite puts a content hash in every asset's name: a changed file is a new URL.
      immutable: true,
      maxAge: '365d',
      index: false,
      schemaHide: true,
    });

  // Read on each request (a small file) so a rebuild is served without a restart.
  app.get('/*', { schema: { hide: true } }, async (request, reply) => {
    const url = request.url.split('?')[0]!;
    if (url === '/api' || url.startsWith('/api/') || url.startsWith('/assets/')) return reply.callNotFound();
    if (!built) throw Errors.serviceUnavailable('The console is not built: run `npm run build:web`.', 60);
    return reply
      .header('content-security-policy', CONSOLE_CSP)
      .header('cache-control', 'no-cache')
      .type('text/html; charset=utf-8')
      .send(await fs.promises.readFile(indexFile));
  });
};
