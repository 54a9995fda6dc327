/**
 * The import rules of src/ and migrations/ (docs/architecture.md explains the layers).
 * `npm run cycles` runs this check; a violation or an import cycle fails `npm test`.
 *
 * Each module folder has a core (tables, repositories, services) and a web face: its
 * `*.routes.ts` and `*.schemas.ts` files (and domain's route-helpers.ts), which use the HTTP kit
 * in src/http/. Cores are layered: domain -> auth, mail -> platform -> tenancy -> jobs / infra /
 * errors / config; none of them reaches into the web.
 */
const WEB_FACE = '(\\.routes|\\.schemas)\\.ts$|^src/domain/route-helpers\\.ts$';
const COMPOSITION = '^src/(main|server|worker|app|services)\\.ts$|^src/cli/';

const core = (folder) => ({ path: `^src/${folder}/`, pathNot: WEB_FACE });
const below = (name, from, to) => ({
  name,
  severity: 'error',
  comment: `${from} sits below ${to.join(', ')} and must not import them`,
  from: core(from),
  to: { path: `^src/(${to.join('|')})/` },
});

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Import cycles make load order and layering accidental.',
      from: { path: '^(src|migrations)/' },
      to: { circular: true },
    },
    {
      name: 'core-not-web',
      severity: 'error',
      comment: "A module's core never imports the HTTP kit or a route: only the module's web face does.",
      from: { path: '^src/(domain|auth|mail|platform|tenancy|jobs|infra|errors)/', pathNot: WEB_FACE },
      to: { path: '^src/http/|\\.routes\\.ts$|^src/domain/route-helpers\\.ts$' },
    },
    {
      name: 'core-takes-only-types-from-schemas',
      severity: 'error',
      comment: 'A service may name the types its schemas describe, never load the schemas themselves.',
      from: { path: '^src/(domain|auth|mail|platform|tenancy|jobs|infra|errors)/', pathNot: WEB_FACE },
      to: { path: '\\.schemas\\.ts$', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'http-kit-not-routes',
      severity: 'error',
      comment: 'The HTTP kit serves the modules\' routes; it never imports a route or the church domain.',
      from: { path: '^src/http/', pathNot: '\\.routes\\.ts$' },
      to: { path: `^src/domain/|(\\.routes|\\.schemas)\\.ts$` },
    },
    {
      name: 'only-composition-imports-composition',
      severity: 'error',
      comment: 'app.ts, services.ts, server.ts, main.ts, worker.ts and the CLI wire everything; nothing imports them back.',
      from: { path: '^src/', pathNot: COMPOSITION },
      to: { path: COMPOSITION },
    },
    below('auth-below-domain', 'auth', ['domain']),
    below('mail-below-domain', 'mail', ['domain', 'auth']),
    below('platform-below-auth', 'platform', ['domain', 'auth', 'mail']),
    below('tenancy-below-platform', 'tenancy', ['domain', 'auth', 'mail', 'platform']),
    below('jobs-below-modules', 'jobs', ['domain', 'auth', 'mail', 'platform', 'tenancy']),
    below('infra-at-the-bottom', 'infra', ['domain', 'auth', 'mail', 'platform', 'tenancy', 'jobs']),
    below('errors-at-the-bottom', 'errors', ['domain', 'auth', 'mail', 'platform', 'tenancy', 'jobs', 'infra']),
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    includeOnly: '^(src|migrations)/',
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
