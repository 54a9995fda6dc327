import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
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

/**
 * The console's top-level pages (web/src/app-routes.tsx; a test keeps the two in step). Only
 * these answer index.html: a catch-all would also swallow /api paths the router must refuse
 * itself (a path parameter over 100 characters is a 414, not a page or a 404).
 */
export const CONSOLE_PAGES = [
  'sign-in',
  'register',
  'forgot-password',
  'reset-password',
  'accept-invite',
  'people',
  'households',
  'tags',
  'groups',
  'events',
  'giving',
  'year-end',
  'import',
  'users',
  'audit',
  'settings',
] as const;

export interface ConsoleRoutesOptions {
  /** The built console (`npm run build:web`): index.html and assets/. */
  dir: string;
}

/**
 * The staff console at `/`: hashed assets cached for a year, index.html (never cached) for the
 * console's page paths so the browser's router takes over. Paths under /api are never pages.
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
  const page = async (_request: FastifyRequest, reply: FastifyReply) => {
    if (!built) throw Errors.serviceUnavailable('The console is not built: run `npm run build:web`.', 60);
    return reply
      .header('content-security-policy', CONSOLE_CSP)
      .header('cache-control', 'no-cache')
      .type('text/html; charset=utf-8')
      .send(await fs.promises.readFile(indexFile));
  };
  const hidden = { schema: { hide: true } };
  app.get('/', hidden, page);
  for (const top of CONSOLE_PAGES) {
    app.get(`/${top}`, hidden, page);
    app.get(`/${top}/*`, hidden, page);
  }
};
